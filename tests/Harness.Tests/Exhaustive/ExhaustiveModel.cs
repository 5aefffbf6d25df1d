using Verify.Actors;
using Verify.Specifications;
using Verify.SystematicTesting;

namespace Verify.Harness.Tests.Exhaustive;

/// <summary>
/// A small protocol for `verify verdicts --exhaustive`, with a cell of each outcome, named
/// <c>Variant.Scenario.Property</c>: <c>Racy.Writers.InOrder</c> is violated (two writers race to a
/// cell that wants write 1 first), <c>Safe.Writers.InOrder</c> is exhausted (one writer sends both),
/// <c>Safe.Counters.InOrder</c> has more states than its protocol lets the search reach, so it is
/// sampled; <c>Racy.Writers.Finishes</c> is a liveness violation only a cycle shows (a spinner spins
/// forever while a finisher waits for a go nobody sends), <c>Safe.Writers.Finishes</c> holds on every
/// cycle (the spinner sends the go), and <c>Safe.Counters.Finishes</c> is one the protocol samples without a search.
/// </summary>
public static class ExhaustiveModel
{
    /// <summary>How far each counter of the Counters scenario counts: about Count^2 states.</summary>
    internal const int Count = 12;

    [TestSource]
    public static IEnumerable<TestCaseSource> Tests =>
    [
        new("Racy.Writers.InOrder", r => Writers(r, racy: true)),
        new("Safe.Writers.InOrder", r => Writers(r, racy: false)),
        new("Safe.Counters.InOrder", r => Counters(r, progress: false)),
        new("Racy.Writers.Finishes", r => Spinning(r, sendsGo: false)),
        new("Safe.Writers.Finishes", r => Spinning(r, sendsGo: true)),
        new("Safe.Counters.Finishes", r => Counters(r, progress: true)),
    ];

    /// <summary>Writes 1 and 2 to a cell that asserts 1 lands first: from two writers (a race), or from one in order.</summary>
    public static void Writers(IActorRuntime runtime, bool racy)
    {
        ActorId cell = runtime.CreateActor(typeof(Cell));
        if (racy)
        {
            runtime.CreateActor(typeof(Writer), new Writer.Setup(cell, [1]));
            runtime.CreateActor(typeof(Writer), new Writer.Setup(cell, [2]));
        }
        else
        {
            runtime.CreateActor(typeof(Writer), new Writer.Setup(cell, [1, 2]));
        }
    }

    /// <summary>Two counters each count to <see cref="Count"/> in their own steps; with progress, a monitor is hot until one is done.</summary>
    public static void Counters(IActorRuntime runtime, bool progress)
    {
        if (progress)
        {
            runtime.RegisterMonitor<Progress>();
        }

        runtime.CreateActor(typeof(Counter));
        runtime.CreateActor(typeof(Counter));
    }

    /// <summary>A finisher waits for a go; a spinner spins forever, and sends the go on its first spin or never.</summary>
    public static void Spinning(IActorRuntime runtime, bool sendsGo)
    {
        runtime.RegisterMonitor<Progress>();
        ActorId finisher = runtime.CreateActor(typeof(Finisher));
        runtime.CreateActor(typeof(Spinner), new Spinner.Setup(sendsGo ? finisher : null));
    }

    internal sealed class Write(int value) : Event
    {
        public int Value { get; } = value;
    }

    internal sealed class Tick : Event;

    internal sealed class Go : Event;

    internal sealed class Done : Monitor.Event;

    /// <summary>Hot until someone reports done.</summary>
    internal sealed class Progress : Monitor
    {
        [Start]
        [Hot]
        [OnEventGotoState(typeof(Done), typeof(Finished))]
        private sealed class Waiting : State
        {
        }

        [Cold]
        [IgnoreEvents(typeof(Done))]
        private sealed class Finished : State
        {
        }
    }

    internal sealed class Cell : StateMachine
    {
        private int writes;

        [Start]
        [OnEventDoAction(typeof(Write), nameof(OnWrite))]
        private sealed class Holding : State
        {
        }

        private void OnWrite(Event e)
        {
            writes++;
            Assert(writes != 1 || ((Write)e).Value == 1, "write 2 landed first");
        }
    }

    internal sealed class Writer : StateMachine
    {
        internal sealed class Setup(ActorId cell, int[] values) : Event
        {
            public ActorId Cell { get; } = cell;

            public int[] Values { get; } = values;
        }

        [Start]
        [OnEntry(nameof(OnSetup))]
        private sealed class Writing : State
        {
        }

        private void OnSetup(Event e)
        {
            var setup = (Setup)e;
            foreach (int v in setup.Values)
            {
                SendEvent(setup.Cell, new Write(v));
            }
        }
    }

    internal sealed class Counter : StateMachine
    {
        private int count;

        [Start]
        [OnEntry(nameof(Next))]
        [OnEventDoAction(typeof(Tick), nameof(Next))]
        private sealed class Counting : State
        {
        }

        private void Next()
        {
            if (count == Count)
            {
                Monitor<Progress>(new Done());
                RaiseHaltEvent();
                return;
            }

            count++;
            SendEvent(Id, new Tick());
        }
    }

    internal sealed class Spinner : StateMachine
    {
        private ActorId? finisher;

        internal sealed class Setup(ActorId? finisher) : Event
        {
            public ActorId? Finisher { get; } = finisher;
        }

        [Start]
        [OnEntry(nameof(OnSetup))]
        [OnEventDoAction(typeof(Tick), nameof(Spin))]
        private sealed class Spinning : State
        {
        }

        private void OnSetup(Event e)
        {
            finisher = ((Setup)e).Finisher;
            SendEvent(Id, new Tick());
        }

        private void Spin()
        {
            if (finisher is not null)
            {
                SendEvent(finisher, new Go());
                finisher = null;
            }

            SendEvent(Id, new Tick());
        }
    }

    internal sealed class Finisher : StateMachine
    {
        [Start]
        [OnEventDoAction(typeof(Go), nameof(Finish))]
        private sealed class Waiting : State
        {
        }

        private void Finish() => Monitor<Progress>(new Done());
    }
}
