using Checker.Tests.Support;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.Actors;

public sealed class DefaultEventTests
{
    [Fact]
    public void DefaultEvent_IsHandledOnlyAfterEveryQueuedEvent()
    {
        (var engine, Journal journal) = Explore.Journaled((r, journal) =>
        {
            ActorId id = r.CreateActor(typeof(IdleDetector), new WithJournal(journal));
            r.SendEvent(id, new Numbered("work", 1));
            r.SendEvent(id, new Numbered("work", 2));
            r.SendEvent(id, new Numbered("work", 3));
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["work1", "work2", "work3", "idle"], journal.Entries);
    }

    [Fact]
    public void DefaultEvent_IsHandled_WhenOnlyDeferredEventsAreQueued()
    {
        // Later is deferred in Busy, so nothing is dequeuable and the default event fires; Idle then handles Later.
        (var engine, Journal journal) = Explore.Journaled((r, journal) =>
        {
            ActorId id = r.CreateActor(typeof(IdleDetector), new WithJournal(journal));
            r.SendEvent(id, new Later());
            r.SendEvent(id, new Numbered("work", 1));
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["work1", "idle", "later in Idle"], journal.Entries);
    }

    [Fact]
    public void DefaultEvent_NeverPreemptsAQueuedEvent_InAnySchedule()
    {
        // A feeder sends two work items while the detector runs. The default event may fire before,
        // between or after them, but only when the inbox holds nothing dequeuable: the detector
        // journals its inbox length (an engine internal) as it handles the default event.
        var runs = new List<Journal>();
        var engine = Explore.Dfs(r =>
        {
            var journal = new Journal();
            runs.Add(journal);
            ActorId id = r.CreateActor(typeof(IdleDetector), new WithJournal(journal));
            r.CreateActor(typeof(Feeder), new Feeder.Setup(id));
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.True(engine.TestReport.Exhausted);
        Assert.All(runs, run => Assert.Contains("idle", run.Entries));
        Assert.All(runs, run => Assert.DoesNotContain(run.Entries, e => e.StartsWith("idle with", StringComparison.Ordinal)));

        // Reachability: the default event fired before, between and after the work items.
        Assert.Contains(runs, run => run.ToString() == "idle, work1, work2");
        Assert.Contains(runs, run => run.ToString() == "work1, idle, work2");
        Assert.Contains(runs, run => run.ToString() == "work1, work2, idle");
    }

    [Fact]
    public void IgnoringTheDefaultEvent_DoesNotMakeTheMachineAlwaysEnabled()
    {
        // Only a do, goto or push handler for DefaultEvent lets it fire; a state that ignores it
        // with nothing queued is idle, so the run terminates after the initialization (1 step).
        TestReport report = Explore.With("random", r => r.CreateActor(typeof(DefaultIgnorer)), iterations: 1, maxSteps: 100).TestReport;

        Assert.Null(report.Bug);
        Assert.Equal(1, report.TerminatedRuns);
        Assert.Equal(1, report.MaxSteps);
    }

    private sealed class Later : Event
    {
    }

    private sealed class DefaultIgnorer : StateMachine
    {
        [Start]
        [IgnoreEvents(typeof(DefaultEvent))]
        private sealed class Quiet : State
        {
        }
    }

    private sealed class IdleDetector : StateMachine
    {
        private Journal journal = null!;

        [Start]
        [OnEntry(nameof(Setup))]
        [OnEventDoAction(typeof(Numbered), nameof(OnWork))]
        [DeferEvents(typeof(Later))]
        [OnEventGotoState(typeof(DefaultEvent), typeof(Idle))]
        private sealed class Busy : State
        {
        }

        [OnEntry(nameof(EnterIdle))]
        [OnEventDoAction(typeof(Later), nameof(OnLater))]
        [OnEventDoAction(typeof(Numbered), nameof(OnWork))]
        private sealed class Idle : State
        {
        }

        private void Setup(Event e) => journal = ((WithJournal)e).Journal;

        private void OnWork(Event e) => journal.Add("work" + ((Numbered)e).Seq);

        private void EnterIdle(Event e)
        {
            // Reached by the default event: nothing else may be dequeuable (Busy defers only Later).
            int queued = Inbox.Count - Enumerable.Range(0, Inbox.Count).Count(i => Inbox[i].Event is Later);
            journal.Add(e is not DefaultEvent ? "idle via " + e.GetType().Name : queued > 0 ? $"idle with {queued} queued" : "idle");
        }

        private void OnLater() => journal.Add("later in " + CurrentState.Name);
    }

    private sealed class Feeder : Actor
    {
        internal sealed class Setup(ActorId target) : Event
        {
            public ActorId Target { get; } = target;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            ActorId target = ((Setup)initialEvent!).Target;
            SendEvent(target, new Numbered("work", 1));
            SendEvent(target, new Numbered("work", 2));
            return Task.CompletedTask;
        }
    }
}
