// The events of the PingPong sample. They are small immutable classes with public readonly
// fields, as Coyote samples write them, and they share one file because each is a few lines.
using Verify.Actors;

namespace Samples.PingPong;

/// <summary>Initial event of the server: how many clients will connect before it may stop.</summary>
internal class ServerConfigEvent : Event
{
    public readonly int Clients;

    public ServerConfigEvent(int clients)
    {
        this.Clients = clients;
    }
}

/// <summary>Initial event of a client: its server and how many round trips it makes.</summary>
internal class ClientConfigEvent : Event
{
    public readonly ActorId Server;
    public readonly int RoundTrips;

    public ClientConfigEvent(ActorId server, int roundTrips)
    {
        this.Server = server;
        this.RoundTrips = roundTrips;
    }
}

internal class ConnectEvent : Event
{
    public readonly ActorId Client;

    public ConnectEvent(ActorId client)
    {
        this.Client = client;
    }
}

internal class ConnectedEvent : Event
{
}

/// <summary>A ping; the server answers it with a <see cref="PongEvent"/> carrying the same round.</summary>
internal class PingEvent : Event
{
    public readonly ActorId Client;
    public readonly int Round;

    public PingEvent(ActorId client, int round)
    {
        this.Client = client;
        this.Round = round;
    }
}

internal class PongEvent : Event
{
    public readonly ActorId Client;
    public readonly int Round;

    public PongEvent(ActorId client, int round)
    {
        this.Client = client;
        this.Round = round;
    }
}

internal class DisconnectEvent : Event
{
    public readonly ActorId Client;

    public DisconnectEvent(ActorId client)
    {
        this.Client = client;
    }
}
