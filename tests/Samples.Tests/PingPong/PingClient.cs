using Verify.Actors;

namespace Samples.PingPong;

/// <summary>
/// Connects to the server, then makes a fixed number of ping-pong round trips, one at a time,
/// and disconnects. Each pong must answer the ping of the current round.
/// </summary>
internal class PingClient : StateMachine
{
    private ActorId server;
    private int roundTrips;
    private int round;

    [Start]
    [OnEntry(nameof(Setup))]
    [OnEventGotoState(typeof(ConnectedEvent), typeof(Pinging))]
    private class Init : State
    {
    }

    [OnEntry(nameof(SendPing))]
    [OnEventDoAction(typeof(PongEvent), nameof(OnPong))]
    private class Pinging : State
    {
    }

    [OnEntry(nameof(Disconnect))]
    private class Done : State
    {
    }

    private void Setup(Event e)
    {
        var config = e as ClientConfigEvent;
        this.server = config.Server;
        this.roundTrips = config.RoundTrips;
        this.SendEvent(this.server, new ConnectEvent(this.Id));
    }

    private void SendPing()
    {
        this.round++;
        var ping = new PingEvent(this.Id, this.round);
        this.Monitor<RoundTripMonitor>(ping);
        this.SendEvent(this.server, ping);
    }

    private void OnPong(Event e)
    {
        var pong = e as PongEvent;
        this.Assert(this.Id.Equals(pong.Client) && pong.Round == this.round,
            "{0} expected the pong of round {1} but got round {2} for {3}.", this.Id, this.round, pong.Round, pong.Client);
        this.Monitor<RoundTripMonitor>(pong);
        PingPongSample.CountRoundTrip();

        // Going to the current state again runs its entry action: the next ping.
        if (this.round < this.roundTrips)
        {
            this.RaiseGotoStateEvent<Pinging>();
        }
        else
        {
            this.RaiseGotoStateEvent<Done>();
        }
    }

    private void Disconnect()
    {
        this.SendEvent(this.server, new DisconnectEvent(this.Id));
        this.RaiseHaltEvent();
    }
}
