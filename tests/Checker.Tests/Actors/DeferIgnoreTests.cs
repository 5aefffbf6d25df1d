using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Xunit;

namespace Checker.Tests.Actors;

public sealed class DeferIgnoreTests
{
    [Fact]
    public void Dequeue_SkipsDeferredEvents_AndHandlesThemInOrderOnceTheStateChanges()
    {
        var journal = new Journal();
        var engine = Explore.Once(r =>
        {
            ActorId id = r.CreateActor(typeof(Gate), new WithJournal(journal));
            r.SendEvent(id, new Numbered("data", 1));
            r.SendEvent(id, new Numbered("data", 2));
            r.SendEvent(id, new Open());
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["Open", "data1 in Opened", "data2 in Opened"], journal.Entries);
    }

    [Fact]
    public void DeferredEvents_StayQueued_WhileTheStateKeepsDeferringThem()
    {
        // Data is never handled in Closed, and the machine stays enabled for nothing else: the run
        // terminates with the events still queued, which is not a bug.
        var journal = new Journal();
        var engine = Explore.Once(r =>
        {
            ActorId id = r.CreateActor(typeof(Gate), new WithJournal(journal));
            r.SendEvent(id, new Numbered("data", 1));
            r.SendEvent(id, new Probe());
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["Probe in Closed"], journal.Entries);
        Assert.Equal(1, engine.TestReport.TerminatedRuns);
    }

    [Fact]
    public void Dequeue_DropsIgnoredEvents_SoALaterStateNeverSeesThem()
    {
        // Noise #1 arrives while Closed ignores it: dequeueing Open drops it. Noise #2 is queued
        // behind Open and reaches Opened, which handles Noise.
        var journal = new Journal();
        var engine = Explore.Once(r =>
        {
            ActorId id = r.CreateActor(typeof(Gate), new WithJournal(journal));
            r.SendEvent(id, new Noise(1));
            r.SendEvent(id, new Open());
            r.SendEvent(id, new Noise(2));
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["Open", "noise2 in Opened"], journal.Entries);
    }

    [Fact]
    public void IgnoringAMustHandleEvent_IsNotABug()
    {
        // Coyote counts an ignored event as handled by declaration: MustHandle is only about drops by halting.
        var journal = new Journal();
        var engine = Explore.Once(r =>
        {
            ActorId id = r.CreateActor(typeof(Gate), new WithJournal(journal));
            r.SendEvent(id, new Noise(1), options: new SendOptions(mustHandle: true));
            r.SendEvent(id, new Open());
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Contains("Open", journal.Entries);
    }

    private sealed class Open : Event
    {
    }

    private sealed class Probe : Event
    {
    }

    private sealed class Noise(int n) : Event
    {
        public int N { get; } = n;
    }

    private sealed class Gate : StateMachine
    {
        private Journal journal = null!;

        [Start]
        [OnEntry(nameof(Setup))]
        [DeferEvents(typeof(Numbered))]
        [IgnoreEvents(typeof(Noise))]
        [OnEventGotoState(typeof(Open), typeof(Opened))]
        [OnEventDoAction(typeof(Probe), nameof(OnProbe))]
        private sealed class Closed : State
        {
        }

        [OnEntry(nameof(EnterOpened))]
        [OnEventDoAction(typeof(Numbered), nameof(OnData))]
        [OnEventDoAction(typeof(Noise), nameof(OnNoise))]
        private sealed class Opened : State
        {
        }

        private void Setup(Event e) => journal = ((WithJournal)e).Journal;

        private void OnProbe() => journal.Add("Probe in " + CurrentState.Name);

        private void EnterOpened() => journal.Add("Open");

        private void OnData(Event e) => journal.Add($"data{((Numbered)e).Seq} in {CurrentState.Name}");

        private void OnNoise(Event e) => journal.Add($"noise{((Noise)e).N} in {CurrentState.Name}");
    }
}
