using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Xunit;

namespace Checker.Tests.Actors;

public sealed class PushPopTests
{
    [Fact]
    public void PushedState_InheritsDoActions_FromTheStateBelow()
    {
        (BugReport? bug, Journal journal) = Run(new Enter(), new Ping());

        Assert.Null(bug);
        Assert.Equal(["enter Upper", "ping in Upper"], journal.Entries);
    }

    [Fact]
    public void PushedState_InheritsDeferredEvents_FromTheStateBelow()
    {
        // Held is deferred by Ground; in Upper it stays queued and Ping behind it is handled.
        (BugReport? bug, Journal journal) = Run(new Enter(), new Held(), new Ping());

        Assert.Null(bug);
        Assert.Equal(["enter Upper", "ping in Upper"], journal.Entries);
    }

    [Fact]
    public void PushedState_InheritsIgnoredEvents_InsteadOfPopping()
    {
        (BugReport? bug, Journal journal) = Run(new Enter(), new Noise(), new Ping());

        Assert.Null(bug);
        Assert.Equal(["enter Upper", "ping in Upper"], journal.Entries);
    }

    [Fact]
    public void PushedState_DoesNotInheritGoto_SoItIsPoppedAndTheGotoRunsBelow()
    {
        (BugReport? bug, Journal journal) = Run(new Enter(), new Held(), new Leave());

        Assert.Null(bug);
        Assert.Equal(["enter Upper", "exit Upper", "enter Elsewhere", "held in Elsewhere"], journal.Entries);
    }

    [Fact]
    public void PushedState_DoesNotInheritPush_SoItIsPoppedAndPushedAgain()
    {
        (BugReport? bug, Journal journal) = Run(new Enter(), new Enter(), new Ping());

        Assert.Null(bug);
        Assert.Equal(["enter Upper", "exit Upper", "enter Upper", "ping in Upper"], journal.Entries);
    }

    [Fact]
    public void UnhandledEvent_PopsStatesUntilOneHandlesIt()
    {
        (BugReport? bug, Journal journal) = Run(new Enter(), new Climb(), new Leave());

        Assert.Null(bug);
        Assert.Equal(["enter Upper", "enter Top", "exit Top", "exit Upper", "enter Elsewhere"], journal.Entries);
    }

    [Fact]
    public void EventNoStateHandles_PopsEveryPushedState_ThenIsAnUnhandledEventBug()
    {
        (BugReport? bug, Journal journal) = Run(new Enter(), new Climb(), new Stray());

        Assert.Equal(BugKind.UnhandledEvent, bug?.Kind);
        Assert.Equal("LayeredMachine(1) received Stray that cannot be handled in Ground.", bug!.Message);
        Assert.Equal(["enter Upper", "enter Top", "exit Top", "exit Upper"], journal.Entries);
    }

    [Fact]
    public void RaisePopStateEvent_ReturnsToTheStateBelow()
    {
        (BugReport? bug, Journal journal) = Run(new Enter(), new Down(), new Ping());

        Assert.Null(bug);
        Assert.Equal(["enter Upper", "exit Upper", "ping in Ground"], journal.Entries);
    }

    [Fact]
    public void PoppingTheOnlyState_IsAnAssertionBug()
    {
        (BugReport? bug, _) = Run(new PopHere());

        Assert.Equal(BugKind.Assertion, bug?.Kind);
        Assert.Equal("LayeredMachine(1) popped its only state Ground; pop needs a matching push.", bug!.Message);
    }

    [Fact]
    public void PushedWildcard_BeatsASpecificHandlerOfTheStateBelow()
    {
        // Specific beats wildcard only at one level; across levels the nearest state decides.
        (BugReport? bug, Journal journal) = Run(new Catch(), new Ping());

        Assert.Null(bug);
        Assert.Equal(["wildcard Ping in CatchAll"], journal.Entries);
    }

    private static (BugReport? Bug, Journal Journal) Run(params Event[] events)
    {
        (var engine, Journal journal) = Explore.Journaled((r, journal) =>
        {
            ActorId id = r.CreateActor(typeof(LayeredMachine), new WithJournal(journal));
            foreach (Event e in events)
            {
                r.SendEvent(id, e);
            }
        });
        return (engine.TestReport.Bug, journal);
    }

    private sealed class PopHere : Event
    {
    }

    private sealed class Enter : Event
    {
    }

    private sealed class Climb : Event
    {
    }

    private sealed class Down : Event
    {
    }

    private sealed class Held : Event
    {
    }

    private sealed class Noise : Event
    {
    }

    private sealed class Leave : Event
    {
    }

    private sealed class Stray : Event
    {
    }

    private sealed class Catch : Event
    {
    }

    private sealed class LayeredMachine : StateMachine
    {
        private Journal journal = null!;

        [Start]
        [OnEntry(nameof(Setup))]
        [OnEventPushState(typeof(Enter), typeof(Upper))]
        [OnEventPushState(typeof(Catch), typeof(CatchAll))]
        [OnEventDoAction(typeof(Ping), nameof(OnPing))]
        [DeferEvents(typeof(Held))]
        [IgnoreEvents(typeof(Noise))]
        [OnEventGotoState(typeof(Leave), typeof(Elsewhere))]
        [OnEventDoAction(typeof(PopHere), nameof(OnDown))]
        private sealed class Ground : State
        {
        }

        [OnEntry(nameof(EnterUpper))]
        [OnExit(nameof(ExitUpper))]
        [OnEventPushState(typeof(Climb), typeof(Top))]
        [OnEventDoAction(typeof(Down), nameof(OnDown))]
        private sealed class Upper : State
        {
        }

        [OnEntry(nameof(EnterTop))]
        [OnExit(nameof(ExitTop))]
        private sealed class Top : State
        {
        }

        [OnEventDoAction(typeof(WildCardEvent), nameof(OnAny))]
        private sealed class CatchAll : State
        {
        }

        [OnEntry(nameof(EnterElsewhere))]
        [OnEventDoAction(typeof(Held), nameof(OnHeld))]
        private sealed class Elsewhere : State
        {
        }

        private void Setup(Event e) => journal = ((WithJournal)e).Journal;

        private void OnPing() => journal.Add("ping in " + CurrentState.Name);

        private void OnAny(Event e) => journal.Add($"wildcard {e.GetType().Name} in {CurrentState.Name}");

        private void OnDown() => RaisePopStateEvent();

        private void OnHeld() => journal.Add("held in " + CurrentState.Name);

        private void EnterUpper() => journal.Add("enter Upper");

        private void ExitUpper() => journal.Add("exit Upper");

        private void EnterTop() => journal.Add("enter Top");

        private void ExitTop() => journal.Add("exit Top");

        private void EnterElsewhere() => journal.Add("enter Elsewhere");
    }
}
