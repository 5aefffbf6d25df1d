using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Xunit;

namespace Checker.Tests.Actors;

public sealed class StateTransitionTests
{
    [Fact]
    public void Goto_RunsTheOldStatesExit_ThenTheTransitionAction_ThenTheNewStatesEntry()
    {
        (var engine, Journal journal) = Explore.Journaled((r, journal) =>
        {
            ActorId id = r.CreateActor(typeof(Turnstile), new WithJournal(journal));
            r.SendEvent(id, new Coin());
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["enter Locked", "exit Locked", "count coin in Locked", "enter Unlocked"], journal.Entries);
    }

    [Fact]
    public void RaiseGotoStateEvent_RunsExitThenEntry()
    {
        (var engine, Journal journal) = Explore.Journaled((r, journal) =>
        {
            ActorId id = r.CreateActor(typeof(Turnstile), new WithJournal(journal));
            r.SendEvent(id, new Coin());
            r.SendEvent(id, new Push());
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["enter Locked", "exit Locked", "count coin in Locked", "enter Unlocked", "pass", "exit Unlocked", "enter Locked"], journal.Entries);
    }

    [Fact]
    public void StartStateEntry_ReceivesTheInitialEvent()
    {
        (var engine, Journal journal) = Explore.Journaled((r, journal) =>
            r.CreateActor(typeof(Turnstile), new WithJournal(journal)));

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["enter Locked"], journal.Entries);
    }

    [Fact]
    public void DerivedState_InheritsTheHandlersAndEntryOfItsBaseStateClass()
    {
        (var engine, Journal journal) = Explore.Journaled((r, journal) =>
        {
            ActorId id = r.CreateActor(typeof(Thermostat), new WithJournal(journal));
            r.SendEvent(id, new Ping());
            r.SendEvent(id, new Heat());
            r.SendEvent(id, new Ping());
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["responsive entry in Cooling", "base ping in Cooling", "responsive entry in Heating", "heating ping"], journal.Entries);
    }

    [Fact]
    public void ExitAction_ThatRaises_IsAnAssertionBug()
    {
        var engine = Explore.Once(r =>
        {
            ActorId id = r.CreateActor(typeof(RaisingOnExit));
            r.SendEvent(id, new Coin());
        });

        Assert.Equal(BugKind.Assertion, engine.TestReport.Bug?.Kind);
        Assert.Equal("RaisingOnExit(1).LeaveNoisily raised Ping; exit actions cannot raise events.", engine.TestReport.Bug!.Message);
    }

    private sealed class Coin : Event
    {
    }

    private sealed class Push : Event
    {
    }

    private sealed class Heat : Event
    {
    }

    private sealed class Turnstile : StateMachine
    {
        private Journal journal = null!;

        [Start]
        [OnEntry(nameof(EnterLocked))]
        [OnExit(nameof(ExitLocked))]
        [OnEventGotoState(typeof(Coin), typeof(Unlocked), nameof(CountCoin))]
        private sealed class Locked : State
        {
        }

        [OnEntry(nameof(EnterUnlocked))]
        [OnExit(nameof(ExitUnlocked))]
        [OnEventDoAction(typeof(Push), nameof(OnPush))]
        private sealed class Unlocked : State
        {
        }

        private void EnterLocked(Event e)
        {
            journal ??= ((WithJournal)e).Journal;
            journal.Add("enter Locked");
        }

        private void ExitLocked() => journal.Add("exit Locked");

        // The transition action runs after the exit action, still in the old state.
        private void CountCoin() => journal.Add("count coin in " + CurrentState.Name);

        private void EnterUnlocked() => journal.Add("enter Unlocked");

        private void ExitUnlocked() => journal.Add("exit Unlocked");

        private void OnPush()
        {
            journal.Add("pass");
            RaiseGotoStateEvent<Locked>();
        }
    }

    private sealed class Thermostat : StateMachine
    {
        private Journal journal = null!;

        [OnEntry(nameof(EnterResponsive))]
        [OnEventDoAction(typeof(Ping), nameof(OnBasePing))]
        [OnEventGotoState(typeof(Heat), typeof(Heating))]
        private abstract class Responsive : State
        {
        }

        [Start]
        private sealed class Cooling : Responsive
        {
        }

        // The most derived declaration of an event wins over the base state's.
        [OnEventDoAction(typeof(Ping), nameof(OnHeatingPing))]
        private sealed class Heating : Responsive
        {
        }

        private void EnterResponsive(Event e)
        {
            journal ??= ((WithJournal)e).Journal;
            journal.Add("responsive entry in " + CurrentState.Name);
        }

        private void OnBasePing() => journal.Add("base ping in " + CurrentState.Name);

        private void OnHeatingPing() => journal.Add("heating ping");
    }

    private sealed class RaisingOnExit : StateMachine
    {
        [Start]
        [OnExit(nameof(LeaveNoisily))]
        [OnEventGotoState(typeof(Coin), typeof(Done))]
        private sealed class Active : State
        {
        }

        private sealed class Done : State
        {
        }

        private void LeaveNoisily() => RaiseEvent(new Ping());
    }
}
