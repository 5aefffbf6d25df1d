using Verify.Actors;
using Verify.SystematicTesting;

namespace Verify.Harness.Tests.Hanging;

/// <summary>
/// Models whose steps do not return, flood one step with sends, or recurse without end: for the
/// watchdog, the effect bound and the stack tests. A spinning step spins until the test releases
/// it (at most a minute), so an in-process test leaves no thread behind; with the variable
/// <see cref="ForeverVariable"/> set (a child `verify` process), it spins forever.
/// </summary>
public static class HangFixtures
{
    internal const string ForeverVariable = "VERIFY_TEST_SPIN_FOREVER";

    /// <summary>The file a spinning step creates as it begins to spin, named by this environment variable.</summary>
    internal const string SpinningFileVariable = "VERIFY_TEST_SPINNING_FILE";

    private static volatile bool released;

    /// <summary>Makes the next spinning step spin (until <see cref="Release"/>).</summary>
    internal static void Hold() => released = false;

    /// <summary>Lets a spinning step return.</summary>
    internal static void Release() => released = true;

    /// <summary>A server that loops without a scheduling point on the third request it handles.</summary>
    [Test]
    public static void SpinningHandler(IActorRuntime runtime)
    {
        ActorId server = runtime.CreateActor(typeof(Server), new Server.Setup(Stall.Spin));
        runtime.CreateActor(typeof(Client), new Client.Setup(server));
    }

    /// <summary>A server that calls Thread.Sleep on the third request it handles (twenty seconds).</summary>
    [Test]
    public static void SleepingHandler(IActorRuntime runtime)
    {
        ActorId server = runtime.CreateActor(typeof(Server), new Server.Setup(Stall.Sleep));
        runtime.CreateActor(typeof(Client), new Client.Setup(server));
    }

    /// <summary>The test method itself loops after creating the server.</summary>
    [Test]
    public static void SpinningBody(IActorRuntime runtime)
    {
        runtime.CreateActor(typeof(Server), new Server.Setup(Stall.None));
        Spin();
    }

    /// <summary>A server that answers its first request by sending to itself in an endless loop.</summary>
    [Test]
    public static void FloodingHandler(IActorRuntime runtime)
    {
        ActorId server = runtime.CreateActor(typeof(Server), new Server.Setup(Stall.Flood));
        runtime.CreateActor(typeof(Client), new Client.Setup(server));
    }

    /// <summary>The deepest level <see cref="RecursionThroughTheEngine"/> reached in this process.</summary>
    internal static int DeepestLevel { get; private set; }

    /// <summary>A server that recurses without end on its first request, notifying a monitor at every level.</summary>
    [Test]
    public static void RecursionThroughTheEngine(IActorRuntime runtime)
    {
        ActorId server = runtime.CreateActor(typeof(Server), new Server.Setup(Stall.RecurseNotifying));
        runtime.CreateActor(typeof(Client), new Client.Setup(server));
    }

    /// <summary>A server that recurses without end in its own code on its first request: a stack overflow .NET cannot catch.</summary>
    [Test]
    public static void RecursionAlone(IActorRuntime runtime)
    {
        ActorId server = runtime.CreateActor(typeof(Server), new Server.Setup(Stall.RecurseAlone));
        runtime.CreateActor(typeof(Client), new Client.Setup(server));
    }

    private static void Spin()
    {
        if (Environment.GetEnvironmentVariable(SpinningFileVariable) is string spinning)
        {
            File.WriteAllText(spinning, "spinning\n");
        }

        bool forever = Environment.GetEnvironmentVariable(ForeverVariable) is not null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (forever || (!released && clock.Elapsed < TimeSpan.FromMinutes(1)))
        {
        }
    }

    internal enum Stall
    {
        None,
        Spin,
        Sleep,
        Flood,
        RecurseNotifying,
        RecurseAlone,
    }

    internal sealed class Request : Event
    {
    }

    internal sealed class Unwatched : Specifications.Monitor
    {
        [Start]
        private sealed class Idle : State
        {
        }
    }

    internal sealed class Server : StateMachine
    {
        private Stall stall;
        private int handled;

        internal sealed class Setup(Stall stall) : Event
        {
            public Stall Stall { get; } = stall;
        }

        private int Recurse(int depth)
        {
            if (stall == Stall.RecurseNotifying)
            {
                DeepestLevel = Math.Max(DeepestLevel, depth);

                // No monitor of this type is registered: the notification reaches the engine and no further.
                Monitor<Unwatched>(new Request());
            }

            // Not a tail call: the frame stays until the recursion ends.
            return Recurse(depth + 1) + 1;
        }

        [Start]
        [OnEntry(nameof(Configure))]
        [OnEventDoAction(typeof(Request), nameof(Serve))]
        private sealed class Serving : State
        {
        }

        private void Configure(Event e) => stall = ((Setup)e).Stall;

        private void Serve()
        {
            handled++;
            switch (stall)
            {
                case Stall.Spin when handled == 3:
                    Spin();
                    break;
                case Stall.Sleep when handled == 3:
                    System.Threading.Thread.Sleep(20_000);
                    break;
                case Stall.Flood when handled == 1:
                    while (true)
                    {
                        SendEvent(Id, new Request());
                    }

                case Stall.RecurseNotifying or Stall.RecurseAlone when handled == 1:
                    Recurse(0);
                    break;
            }
        }
    }

    internal sealed class Client : StateMachine
    {
        internal sealed class Setup(ActorId server) : Event
        {
            public ActorId Server { get; } = server;
        }

        [Start]
        [OnEntry(nameof(Send))]
        private sealed class Sending : State
        {
        }

        private void Send(Event e)
        {
            ActorId server = ((Setup)e).Server;
            for (int i = 0; i < 4; i++)
            {
                SendEvent(server, new Request());
            }
        }
    }
}
