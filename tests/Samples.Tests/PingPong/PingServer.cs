using System.Collections.Generic;
using Verify.Actors;

namespace Samples.PingPong;

/// <summary>
/// Answers every ping with a pong until all expected clients have connected and disconnected;
/// then it halts, so a run of the sample terminates and its liveness monitor is judged.
/// </summary>
internal class PingServer : StateMachine
{
    private readonly HashSet<ActorId> connected = new HashSet<ActorId>();
    private int expectedClients;
    private int disconnectedClients;

    [Start]
    [OnEntry(nameof(Setup))]
    private class Init : State
    {
    }

    [OnEventDoAction(typeof(ConnectEvent), nameof(OnConnect))]
    [OnEventDoAction(typeof(PingEvent), nameof(OnPing))]
    [OnEventDoAction(typeof(DisconnectEvent), nameof(OnDisconnect))]
    private class Serving : State
    {
    }

    [OnEntry(nameof(OnStopping))]
    private class Stopped : State
    {
    }

    private void Setup(Event e)
    {
        this.expectedClients = (e as ServerConfigEvent).Clients;
        this.RaiseGotoStateEvent<Serving>();
    }

    private void OnConnect(Event e)
    {
        ActorId client = (e as ConnectEvent).Client;
        this.connected.Add(client);
        this.SendEvent(client, new ConnectedEvent());
    }

    private void OnPing(Event e)
    {
        var ping = e as PingEvent;
        this.Assert(this.connected.Contains(ping.Client), "{0} pinged the server without connecting first.", ping.Client);
        this.SendEvent(ping.Client, new PongEvent(ping.Client, ping.Round));
    }

    private void OnDisconnect(Event e)
    {
        ActorId client = (e as DisconnectEvent).Client;
        this.Assert(this.connected.Remove(client), "{0} disconnected twice.", client);
        this.disconnectedClients++;
        if (this.disconnectedClients == this.expectedClients)
        {
            this.RaiseGotoStateEvent<Stopped>();
        }
    }

    private void OnStopping()
    {
        this.Logger.WriteLine("The server served {0} clients and stops.", this.expectedClients);
        this.RaiseHaltEvent();
    }
}
