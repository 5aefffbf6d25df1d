using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Xunit;

namespace Checker.Tests.Actors;

public sealed class WildCardTests
{
    [Fact]
    public void WildCardHandler_OfAnActor_HandlesEveryEventType()
    {
        (var engine, Journal journal) = Explore.Journaled((r, journal) =>
        {
            ActorId id = r.CreateActor(typeof(CatchAllActor), new WithJournal(journal));
            r.SendEvent(id, new Ping());
            r.SendEvent(id, new Numbered("x", 1));
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["any Ping", "any Numbered"], journal.Entries);
    }

    [Fact]
    public void SpecificHandler_BeatsTheWildCard_InTheSameState()
    {
        (var engine, Journal journal) = Explore.Journaled((r, journal) =>
        {
            ActorId id = r.CreateActor(typeof(Switchboard), new WithJournal(journal));
            r.SendEvent(id, new Ping());
            r.SendEvent(id, new Numbered("x", 1));
            r.SendEvent(id, new Ping());
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["specific Ping", "wildcard Numbered", "specific Ping"], journal.Entries);
    }

    [Fact]
    public void WildCardGoto_LeavesTheStateOnAnyEvent()
    {
        (var engine, Journal journal) = Explore.Journaled((r, journal) =>
        {
            ActorId id = r.CreateActor(typeof(Switchboard), new WithJournal(journal));
            r.SendEvent(id, new Hangup());
            r.SendEvent(id, new Numbered("x", 1));
            r.SendEvent(id, new Ping());
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["hung up", "entered Idle", "idle Ping"], journal.Entries);
    }

    [Fact]
    public void WildCard_DoesNotMatchHaltEvent()
    {
        // HaltEvent still halts an actor whose only handler is a wildcard; the event behind it is dropped.
        (var engine, Journal journal) = Explore.Journaled((r, journal) =>
        {
            ActorId id = r.CreateActor(typeof(CatchAllActor), new WithJournal(journal));
            r.SendEvent(id, new Ping());
            r.SendEvent(id, HaltEvent.Instance);
            r.SendEvent(id, new Ping());
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["any Ping"], journal.Entries);
    }

    private sealed class Hangup : Event
    {
    }

    [OnEventDoAction(typeof(WildCardEvent), nameof(OnAny))]
    private sealed class CatchAllActor : Actor
    {
        private Journal journal = null!;

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            journal = ((WithJournal)initialEvent!).Journal;
            return Task.CompletedTask;
        }

        private void OnAny(Event e) => journal.Add("any " + e.GetType().Name);
    }

    private sealed class Switchboard : StateMachine
    {
        private Journal journal = null!;

        [Start]
        [OnEntry(nameof(Setup))]
        [OnEventDoAction(typeof(Ping), nameof(OnPing))]
        [OnEventDoAction(typeof(Hangup), nameof(OnHangup))]
        [OnEventDoAction(typeof(WildCardEvent), nameof(OnAny))]
        private sealed class Connected : State
        {
        }

        [OnEventGotoState(typeof(WildCardEvent), typeof(Idle))]
        private sealed class HungUp : State
        {
        }

        [OnEntry(nameof(EnterIdle))]
        [OnEventDoAction(typeof(Ping), nameof(OnIdlePing))]
        private sealed class Idle : State
        {
        }

        private void Setup(Event e) => journal = ((WithJournal)e).Journal;

        private void OnPing() => journal.Add("specific Ping");

        private void OnAny(Event e) => journal.Add("wildcard " + e.GetType().Name);

        private void OnHangup()
        {
            journal.Add("hung up");
            RaiseGotoStateEvent<HungUp>();
        }

        private void EnterIdle() => journal.Add("entered Idle");

        private void OnIdlePing() => journal.Add("idle Ping");
    }
}
