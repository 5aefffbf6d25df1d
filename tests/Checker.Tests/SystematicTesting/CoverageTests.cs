using Checker.Tests.Fixtures;
using Verify;
using Verify.Actors;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.SystematicTesting;

/// <summary>Coverage counts states entered, handlers used (handled, deferred, ignored) and transitions taken, per type.</summary>
public sealed class CoverageTests
{
    private static TestReport Run(Action<IActorRuntime> test, uint iterations, string strategy = "random", int workers = 1, bool coverage = true, ulong seed = 1)
    {
        Configuration config = Configuration.Create()
            .WithStrategy(strategy, 0)
            .WithTestingIterations(iterations)
            .WithRandomGeneratorSeed(seed)
            .WithMaxSchedulingSteps(500)
            .WithParallelism(workers)
            .WithActivityCoverageReported(coverage);
        TestingEngine engine = TestingEngine.Create(config, test);
        engine.Run();
        return engine.TestReport;
    }

    private static long Count(TestReport r, string type, string category, string state = "", string e = "", string action = "") =>
        Assert.Single(r.Coverage!.Entries, x => x.Type == type && x.Category == category && x.State == state && x.Event == e && x.Action == action).Count;

    [Fact]
    public void Coverage_CountsEveryStateHandlerAndTransition_OfAOneScheduleModel()
    {
        // One actor, so one schedule. Per iteration the door dequeues Open (goto Opened), Knock
        // (push Answering, whose entry pops back), Close (goto Closed); then, in Closed, drops the
        // ignored Knock and passes the deferred Close to dequeue Open (goto Opened), and dequeues
        // Close (goto Closed). Closed is entered 3 times (start, twice by goto), Opened twice.
        TestReport r = Run(Door.Test, iterations: 3);
        Assert.Null(r.Bug);
        Assert.Equal(3, r.Coverage!.Iterations);
        Assert.Equal(3, Count(r, "Door", "type"));
        Assert.Equal(9, Count(r, "Door", "state", "Closed"));
        Assert.Equal(6, Count(r, "Door", "state", "Opened"));
        Assert.Equal(3, Count(r, "Door", "state", "Answering"));
        Assert.Equal(0, Count(r, "Door", "state", "Locked"));
        Assert.Equal(6, Count(r, "Door", "handler", "Closed", "Open", "goto Opened"));
        Assert.Equal(3, Count(r, "Door", "handler", "Closed", "Knock", "ignore"));
        Assert.Equal(3, Count(r, "Door", "handler", "Closed", "Close", "defer"));
        Assert.Equal(6, Count(r, "Door", "handler", "Opened", "Close", "goto Closed"));
        Assert.Equal(3, Count(r, "Door", "handler", "Opened", "Knock", "push Answering"));
        Assert.Equal(0, Count(r, "Door", "handler", "Locked", "Open", "do Rattle"));
        Assert.Equal(6, Count(r, "Door", "goto", "Closed", string.Empty, "Opened"));
        Assert.Equal(6, Count(r, "Door", "goto", "Opened", string.Empty, "Closed"));
        Assert.Equal(3, Count(r, "Door", "push", "Opened", string.Empty, "Answering"));
        Assert.Equal(3, Count(r, "Door", "pop", "Answering", string.Empty, "Opened"));
        Assert.Equal(4, r.Coverage.Entries.Count(e => e.Type == "Door" && e.Category is "goto" or "push" or "pop"));
    }

    [Fact]
    public void Coverage_CountsMonitors_TheirStatesAndIgnoredEvents()
    {
        // Closed's entry says Shutting (3 times: the first is ignored in Shut), Opened's says Opening (twice).
        TestReport r = Run(Door.Test, iterations: 2);
        Assert.Equal(2, Count(r, "DoorWatch", "type"));
        Assert.Equal(6, Count(r, "DoorWatch", "state", "Shut"));
        Assert.Equal(4, Count(r, "DoorWatch", "state", "Ajar"));
        Assert.Equal(2, Count(r, "DoorWatch", "handler", "Shut", "Shutting", "ignore"));
        Assert.Equal(4, Count(r, "DoorWatch", "handler", "Ajar", "Shutting", "goto Shut"));
        Assert.Equal(4, Count(r, "DoorWatch", "goto", "Shut", string.Empty, "Ajar"));
        Assert.Equal("monitor", r.Coverage!.Entries.First(e => e.Type == "DoorWatch").TypeKind);
    }

    [Fact]
    public void Coverage_Text_ListsWhatWasNeverReached()
    {
        TestReport r = Run(Door.Test, iterations: 1);
        Assert.Contains("Door (state machine): states 3/4, handlers 5/6, transitions 4; never entered: Locked", r.Coverage!.SummaryLines());
        string text = r.Coverage.ToText("doors");
        Assert.Contains("Door (state machine), started 1 times\n  states entered: 3 of 4\n", text, StringComparison.Ordinal);
        Assert.Contains("  handlers used: 5 of 6 (handled 3/4, deferred 1/1, ignored 1/1)\n", text, StringComparison.Ordinal);
        Assert.Contains("    Locked     never\n", text, StringComparison.Ordinal);
        Assert.Contains("    push  Opened     ->  Answering  1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Coverage_IsOff_UnlessRequested()
    {
        Assert.Null(Run(Door.Test, iterations: 1, coverage: false).Coverage);
    }

    [Fact]
    public void Coverage_DoesNotDependOnTheNumberOfWorkers()
    {
        // Without a bug every iteration runs, whichever worker runs it, so the sums are equal.
        Action<IActorRuntime> test = Gossip.Test;
        TestReport one = Run(test, iterations: 60, strategy: "random", workers: 1, seed: 4);
        TestReport two = Run(test, iterations: 60, strategy: "random", workers: 2, seed: 4);
        Assert.Null(one.Bug);
        Assert.Equal(one.Coverage!.Entries, two.Coverage!.Entries);
        Assert.Equal(180, Count(one, "Peer", "type"));
    }

    [Fact]
    public void Merge_SumsCountsByEntry()
    {
        TestReport a = Run(Door.Test, iterations: 1);
        TestReport b = Run(Door.Test, iterations: 2);
        CoverageReport merged = CoverageReport.Merge([a.Coverage!, b.Coverage!]);
        TestReport all = Run(Door.Test, iterations: 3);
        Assert.Equal(all.Coverage!.Entries, merged.Entries);
        Assert.Equal(3, merged.Iterations);
    }

    internal sealed class Open : Event
    {
    }

    internal sealed class Close : Event
    {
    }

    internal sealed class Knock : Event
    {
    }

    internal sealed class Opening : Monitor.Event
    {
    }

    internal sealed class Shutting : Monitor.Event
    {
    }

    internal sealed class Door : StateMachine
    {
        internal static void Test(IActorRuntime runtime)
        {
            runtime.RegisterMonitor<DoorWatch>();
            ActorId door = runtime.CreateActor(typeof(Door));
            foreach (Event e in new Event[] { new Open(), new Knock(), new Close(), new Knock(), new Close(), new Open() })
            {
                runtime.SendEvent(door, e);
            }
        }

        [Start]
        [OnEntry(nameof(Shut))]
        [OnEventGotoState(typeof(Open), typeof(Opened))]
        [IgnoreEvents(typeof(Knock))]
        [DeferEvents(typeof(Close))]
        private sealed class Closed : State
        {
        }

        [OnEntry(nameof(Swing))]
        [OnEventGotoState(typeof(Close), typeof(Closed))]
        [OnEventPushState(typeof(Knock), typeof(Answering))]
        private sealed class Opened : State
        {
        }

        [OnEntry(nameof(Answer))]
        private sealed class Answering : State
        {
        }

        [OnEventDoAction(typeof(Open), nameof(Rattle))]
        private sealed class Locked : State
        {
        }

        private void Shut() => Monitor<DoorWatch>(new Shutting());

        private void Swing() => Monitor<DoorWatch>(new Opening());

        private void Answer() => RaisePopStateEvent();

        private void Rattle()
        {
        }
    }

    internal sealed class DoorWatch : Monitor
    {
        [Start]
        [Cold]
        [OnEventGotoState(typeof(Opening), typeof(Ajar))]
        [IgnoreEvents(typeof(Shutting))]
        private sealed class Shut : State
        {
        }

        [Hot]
        [OnEventGotoState(typeof(Shutting), typeof(Shut))]
        private sealed class Ajar : State
        {
        }
    }
}
