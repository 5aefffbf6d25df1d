using System.Diagnostics;
using System.Runtime.CompilerServices;
using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Verify.Specifications;
using Verify.SystematicTesting;
using Verify.Traces;
using Xunit;
using Trace = Verify.Traces.Trace;

namespace Checker.Tests.SystematicTesting;

/// <summary>
/// The watchdog and the iteration thread: a step still running past the time limit and the grace
/// is a <see cref="BugKind.Hang"/> naming the actor or monitor, state and handler, with the trace so
/// far; its replay gives up on the same step; the model runs on a 16 MB stack, and recursion through
/// the engine meets its end as an exception. Each stalled step here waits on a gate the test opens
/// when it is done, so no thread outlives the test.
/// </summary>
public sealed class WatchdogTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(300);

    private static Configuration Config(int timeLimit = 1) => Configuration.Create()
        .WithRandomStrategy()
        .WithRandomGeneratorSeed(1)
        .WithTestingIterations(1_000)
        .WithTestingTimeout((uint)timeLimit)
        .WithWatchdogGrace(Grace);

    [Fact]
    public void AHandlerStillRunningPastTheTimeLimit_IsAHang_WithTheTraceSoFar()
    {
        var gate = new Gate();
        try
        {
            var clock = Stopwatch.StartNew();
            var engine = TestingEngine.Create(Config(), r => r.CreateActor(typeof(Staller), new Staller.Setup(gate, 3)));
            engine.Run();

            TestReport report = engine.TestReport;
            Assert.InRange(clock.Elapsed.TotalSeconds, 1.2, 15);
            Assert.Equal(BugKind.Hang, report.Bug?.Kind);
            Assert.Equal(0, report.BugIteration);
            Assert.StartsWith("Step 7 did not return: Staller(1) in Waiting, in handler Tick handling Ping. A loop without a scheduling point", report.Bug!.Message);
            Assert.Matches(@"^step 7 was still running \d+\.\d s after the watchdog first saw it, \d+\.\d s past the 1 s time limit; its thread is left running, so the process must end$", report.Watchdog);
            Assert.Contains("Watchdog      step 7 was still running", report.Summary());

            // The trace so far: initialization, two ticks that returned with their sends delivered, and the stalled tick.
            Trace trace = engine.BugTrace!;
            Assert.Equal(7, trace.Decisions.Count(d => d.Kind == DecisionKind.Schedule));
            Assert.Equal($"Hang: {report.Bug.Message}", trace.Bug);
            Assert.Contains("[    5] Staller(1) in Waiting dequeues Ping from Staller(1)", engine.ReadableTrace);
            Assert.EndsWith($"[    7] BUG Hang: {report.Bug.Message}\n", engine.ReadableTrace);
        }
        finally
        {
            gate.Open();
        }
    }

    [Fact]
    public void ItsReplay_GivesUpOnTheSameStep_AndReproducesTheHang()
    {
        var gate = new Gate();
        try
        {
            Action<IActorRuntime> test = r => r.CreateActor(typeof(Staller), new Staller.Setup(gate, 3));
            var engine = TestingEngine.Create(Config(), test);
            engine.Run();
            string text = engine.ReproducibleTrace;

            var replay = TestingEngine.Create(Configuration.Create().WithWatchdogGrace(Grace), test);
            replay.Replay(TraceReader.Read(text));

            Assert.Null(replay.TestReport.Divergence);
            Assert.Equal(engine.TestReport.Bug!.Summary, replay.TestReport.Bug?.Summary);
            Assert.StartsWith("step 7 was still running", replay.TestReport.Watchdog);
            Assert.Contains("[    7] Staller(1) in Waiting dequeues Ping from Staller(1)", replay.ReadableTrace);
        }
        finally
        {
            gate.Open();
        }
    }

    [Fact]
    public void ItsReplay_OnAModelThatNoLongerStalls_Diverges()
    {
        var gate = new Gate();
        Action<IActorRuntime> test = r => r.CreateActor(typeof(Staller), new Staller.Setup(gate, 3));
        var engine = TestingEngine.Create(Config(), test);
        engine.Run();
        gate.Open();

        var replay = TestingEngine.Create(Configuration.Create().WithWatchdogGrace(Grace), test);
        replay.Replay(engine.BugTrace!);

        // The stalled tick now returns, and the run goes on past the decisions the trace has.
        Assert.StartsWith("Trace diverged at step 8: the trace ends ", replay.TestReport.Divergence);
        Assert.Null(replay.TestReport.Watchdog);
    }

    [Fact]
    public void AMonitorActionThatStalls_IsNamedWithTheActorThatNotifiedIt()
    {
        var gate = new Gate();
        try
        {
            var engine = TestingEngine.Create(Config(), r =>
            {
                r.RegisterMonitor<StallingMonitor>();
                r.CreateActor(typeof(Notifier), new Notifier.Setup(gate));
            });
            engine.Run();

            Assert.Equal(BugKind.Hang, engine.TestReport.Bug?.Kind);
            Assert.StartsWith("Step 1 did not return: monitor StallingMonitor in Watching, in action Stall handling Notice (notified by Notifier(1)).", engine.TestReport.Bug!.Message);
        }
        finally
        {
            gate.Open();
        }
    }

    [Fact]
    public void AHandlerThatStallsAfterSharedObjectOperations_IsNamed_NotTheStepsThatRanInsideThem()
    {
        // Each operation on the counter is a scheduling point at which the other actor's steps may run,
        // nested in the caller's step; the handler that then stalls is still the caller's.
        var gate = new Gate();
        try
        {
            var engine = TestingEngine.Create(Config(), r =>
            {
                var counter = Verify.Actors.SharedObjects.SharedCounter.Create(r);
                r.CreateActor(typeof(Counting), new Counting.Setup(counter, gate));
                r.CreateActor(typeof(Bystander), new Counting.Setup(counter, null));
            });
            engine.Run();

            Assert.Equal(BugKind.Hang, engine.TestReport.Bug?.Kind);
            Assert.Matches(@"^Step \d+ did not return: Counting\(1\) in Adding, in handler Count handling Setup\.", engine.TestReport.Bug!.Message);
            Assert.Contains("Bystander(2) starts", engine.ReadableTrace);
        }
        finally
        {
            gate.Open();
        }
    }

    [Fact]
    public void AStepSlowerThanTheGrace_ButWithinTheTimeLimit_IsNoHang()
    {
        // Half a second per step, twice the grace, but all of it before the 5 s limit.
        var engine = TestingEngine.Create(Config(timeLimit: 5).WithTestingIterations(1), r => r.CreateActor(typeof(Sleeper)));
        engine.Run();

        Assert.Null(engine.TestReport.Bug);
        Assert.Null(engine.TestReport.Watchdog);
    }

    [Theory]
    [InlineData("stateful-dfs")]
    [InlineData("stateful-bfs")]
    public void AStatefulSearch_WithAStepThatStalls_ReportsItWithThePathToIt(string search)
    {
        var gate = new Gate();
        try
        {
            Action<IActorRuntime> test = r => r.CreateActor(typeof(Staller), new Staller.Setup(gate, 3));
            var engine = TestingEngine.Create(Config().WithStrategy(search, 0), test);
            engine.Run();

            TestReport report = engine.TestReport;
            Assert.Equal(BugKind.Hang, report.Bug?.Kind);
            Assert.False(report.Exhausted);
            Assert.StartsWith("Step 7 did not return: Staller(1) in Waiting, in handler Tick handling Ping.", report.Bug!.Message);
            Assert.Null(engine.BugTrace!.Seed);

            var replay = TestingEngine.Create(Configuration.Create().WithWatchdogGrace(Grace), test);
            replay.Replay(engine.BugTrace!);
            Assert.Null(replay.TestReport.Divergence);
            Assert.Equal(report.Bug.Summary, replay.TestReport.Bug?.Summary);
        }
        finally
        {
            gate.Open();
        }
    }

    [Fact]
    public void Iterations_RunOnA16MegabyteStack_WhateverTheCallersThread()
    {
        // Levels of at least 1 KB each, until the stack is nearly used up: a default thread (1.5 MB)
        // or a main thread (8 MB) has room for far fewer than a 16 MB one.
        int levels = 0;
        Explore.Once(_ => levels = Deepen(0));

        Assert.Equal(16 * 1024 * 1024, Watchdog.StackSize);
        Assert.InRange(levels, 12_000, 16_384);
    }

    [Fact]
    public void AMonitorThatNotifiesItselfWithoutEnd_EndsInAnException_NotAStackOverflow()
    {
        TestReport report = Explore.Once(r =>
        {
            r.RegisterMonitor<Echo>();
            r.CreateActor(typeof(Notifier), new Notifier.Setup(null));
        }).TestReport;

        Assert.Equal(BugKind.Exception, report.Bug?.Kind);
        Assert.StartsWith("Monitor Echo.Repeat threw InsufficientExecutionStackException: ", report.Bug!.Message);
        Assert.EndsWith("a recursion that ran the 16 MB stack of an iteration short: without end, or too deep for that stack", report.Bug.Message);
    }

    private static int Deepen(int level)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return level;
        }

        Span<byte> frame = stackalloc byte[1024];
        frame[level % frame.Length] = 1;
        return Deepen(level + 1) + frame[0] - frame[0];
    }

    /// <summary>Stalled steps wait here until the test opens it (at most a minute).</summary>
    internal sealed class Gate
    {
        private volatile bool open;

        internal void Open() => open = true;

        internal void Wait()
        {
            var clock = Stopwatch.StartNew();
            while (!open && clock.Elapsed < TimeSpan.FromMinutes(1))
            {
            }
        }
    }

    /// <summary>Sends itself a Ping per tick; the tick numbered <c>stallAt</c> waits at the gate.</summary>
    private sealed class Staller : StateMachine
    {
        private Gate? gate;
        private int stallAt;
        private int ticks;

        internal sealed class Setup(Gate gate, int stallAt) : Event
        {
            public Gate Gate { get; } = gate;

            public int StallAt { get; } = stallAt;
        }

        [Start]
        [OnEntry(nameof(Begin))]
        [OnEventDoAction(typeof(Ping), nameof(Tick))]
        private sealed class Waiting : State
        {
        }

        private void Begin(Event e)
        {
            gate = ((Setup)e).Gate;
            stallAt = ((Setup)e).StallAt;
            SendEvent(Id, new Ping());
        }

        private void Tick()
        {
            if (++ticks == stallAt)
            {
                gate!.Wait();
            }

            if (ticks < 10)
            {
                SendEvent(Id, new Ping());
            }
        }
    }

    /// <summary>Adds to a shared counter five times; with a gate, then waits at it.</summary>
    private sealed class Counting : StateMachine
    {
        internal sealed class Setup(Verify.Actors.SharedObjects.SharedCounter counter, Gate? gate) : Event
        {
            public Verify.Actors.SharedObjects.SharedCounter Counter { get; } = counter;

            public Gate? Gate { get; } = gate;
        }

        [Start]
        [OnEntry(nameof(Count))]
        private sealed class Adding : State
        {
        }

        private void Count(Event e)
        {
            var setup = (Setup)e;
            for (int i = 0; i < 5; i++)
            {
                setup.Counter.Increment();
            }

            setup.Gate?.Wait();
        }
    }

    /// <summary>Adds to the shared counter once, inside the other actor's operations when the schedule says so.</summary>
    private sealed class Bystander : StateMachine
    {
        [Start]
        [OnEntry(nameof(AddOnce))]
        private sealed class Idle : State
        {
        }

        private void AddOnce(Event e) => ((Counting.Setup)e).Counter.Increment();
    }

    private sealed class Sleeper : StateMachine
    {
        private int naps;

        [Start]
        [OnEntry(nameof(Nap))]
        [OnEventDoAction(typeof(Ping), nameof(Nap))]
        private sealed class Napping : State
        {
        }

        private void Nap()
        {
            System.Threading.Thread.Sleep(500);
            if (++naps < 2)
            {
                SendEvent(Id, new Ping());
            }
        }
    }

    internal sealed class Notice : Event
    {
        internal Notice(Gate? gate) => Gate = gate;

        public Gate? Gate { get; }
    }

    private sealed class Notifier : Actor
    {
        internal sealed class Setup(Gate? gate) : Event
        {
            public Gate? Gate { get; } = gate;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            Monitor<StallingMonitor>(new Notice(((Setup)initialEvent!).Gate));
            Monitor<Echo>(new Notice(null));
            return Task.CompletedTask;
        }
    }

    private sealed class StallingMonitor : Monitor
    {
        [Start]
        [OnEventDoAction(typeof(Notice), nameof(Stall))]
        private sealed class Watching : State
        {
        }

        private void Stall(Event e) => ((Notice)e).Gate?.Wait();
    }

    private sealed class Echo : Monitor
    {
        [Start]
        [OnEventDoAction(typeof(Notice), nameof(Repeat))]
        private sealed class Listening : State
        {
        }

        private void Repeat(Event e) => Specification.Monitor<Echo>(e);
    }
}
