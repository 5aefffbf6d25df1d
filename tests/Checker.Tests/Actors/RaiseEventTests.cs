using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Xunit;

namespace Checker.Tests.Actors;

public sealed class RaiseEventTests
{
    [Fact]
    public void RaisedEvent_IsHandledBeforeEventsAlreadyInTheInbox()
    {
        // The test sends Trigger and Later before the machine starts, so Later is queued while
        // Trigger's action raises Local.
        var journal = new Journal();
        var engine = Explore.Once(r =>
        {
            ActorId id = r.CreateActor(typeof(Announcer), new WithJournal(journal));
            r.SendEvent(id, new Trigger());
            r.SendEvent(id, new Later());
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["Trigger", "Local", "Later"], journal.Entries);
    }

    [Fact]
    public void RaiseGotoStateEvent_EntersTheNewStateBeforeTheInboxIsRead()
    {
        var journal = new Journal();
        var engine = Explore.Once(r =>
        {
            ActorId id = r.CreateActor(typeof(Announcer), new WithJournal(journal));
            r.SendEvent(id, new Leave());
            r.SendEvent(id, new Later());
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["Leave", "entered Away", "Later in Away"], journal.Entries);
    }

    [Fact]
    public void RaisingTwice_InOneAction_IsAnAssertionBug()
    {
        var engine = Explore.Once(r =>
        {
            ActorId id = r.CreateActor(typeof(Announcer), new WithJournal(new Journal()));
            r.SendEvent(id, new Twice());
        });

        Assert.Equal(BugKind.Assertion, engine.TestReport.Bug?.Kind);
        Assert.Equal("Announcer(1) raised Local after Local in one action; an action raises at most one event.", engine.TestReport.Bug!.Message);
    }

    private sealed class Trigger : Event
    {
    }

    private sealed class Local : Event
    {
    }

    private sealed class Later : Event
    {
    }

    private sealed class Leave : Event
    {
    }

    private sealed class Twice : Event
    {
    }

    private sealed class Announcer : StateMachine
    {
        private Journal journal = null!;

        [Start]
        [OnEntry(nameof(Setup))]
        [OnEventDoAction(typeof(Trigger), nameof(OnTrigger))]
        [OnEventDoAction(typeof(Local), nameof(OnLocal))]
        [OnEventDoAction(typeof(Later), nameof(OnLater))]
        [OnEventDoAction(typeof(Leave), nameof(OnLeave))]
        [OnEventDoAction(typeof(Twice), nameof(OnTwice))]
        private sealed class Home : State
        {
        }

        [OnEntry(nameof(EnterAway))]
        [OnEventDoAction(typeof(Later), nameof(OnLaterAway))]
        private sealed class Away : State
        {
        }

        private void Setup(Event e) => journal = ((WithJournal)e).Journal;

        private void OnTrigger()
        {
            journal.Add("Trigger");
            RaiseEvent(new Local());
        }

        private void OnLocal() => journal.Add("Local");

        private void OnLater() => journal.Add("Later");

        private void OnLeave()
        {
            journal.Add("Leave");
            RaiseGotoStateEvent<Away>();
        }

        private void EnterAway() => journal.Add("entered Away");

        private void OnLaterAway() => journal.Add("Later in Away");

        private void OnTwice()
        {
            RaiseEvent(new Local());
            RaiseEvent(new Local());
        }
    }
}
