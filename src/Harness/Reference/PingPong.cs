using Verify.Actors;
using Verify.SystematicTesting;

namespace Verify.Harness.Reference;

/// <summary>Two actors bouncing an event: the engine's cost per decision with nothing else going on.</summary>
public static class PingPong
{
    /// <summary>Round trips per iteration; 500 makes an iteration about 2,000 decisions.</summary>
    internal static int Rounds { get; set; } = 500;

    [Test]
    public static void Execute(IActorRuntime runtime)
    {
        ActorId server = runtime.CreateActor(typeof(Server));
        runtime.CreateActor(typeof(Client), new Client.Setup(server, Rounds));
    }

    internal sealed class Ping(ActorId client) : Event
    {
        public ActorId Client { get; } = client;
    }

    internal sealed class Pong : Event
    {
        public static readonly Pong Instance = new();
    }

    internal sealed class Server : StateMachine
    {
        [Start]
        [OnEventDoAction(typeof(Ping), nameof(OnPing))]
        private sealed class Active : State
        {
        }

        private void OnPing(Event e) => SendEvent(((Ping)e).Client, Pong.Instance);
    }

    internal sealed class Client : StateMachine
    {
        private ActorId server = null!;
        private Ping ping = null!;
        private int left;

        internal sealed class Setup(ActorId server, int rounds) : Event
        {
            public ActorId Server { get; } = server;

            public int Rounds { get; } = rounds;
        }

        [Start]
        [OnEntry(nameof(Start))]
        [OnEventDoAction(typeof(Pong), nameof(OnPong))]
        private sealed class Active : State
        {
        }

        private void Start(Event e)
        {
            var setup = (Setup)e;
            server = setup.Server;
            left = setup.Rounds;
            ping = new Ping(Id);
            SendEvent(server, ping);
        }

        private void OnPong()
        {
            if (--left > 0)
            {
                SendEvent(server, ping);
            }
        }
    }
}
