using System;
using System.Threading.Tasks;
using Verify;
using Verify.Actors;
using Xunit;

namespace Compat.Tests;

public class UnhandledEventTests : BaseActorTest
{
    private static string lastUnhandled;

    private sealed class Picky : StateMachine
    {
        [Start]
        private sealed class Idle : State
        {
        }

        protected override Task OnEventUnhandledAsync(Event e, string state)
        {
            lastUnhandled = $"{e.GetType().Name} in {state}";
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void Actor_OnEventUnhandledAsync_IsCalledBeforeTheBugIsReported()
    {
        lastUnhandled = null;
        TestWithError(r => r.SendEvent(r.CreateActor(typeof(Picky)), new Ping()),
            "Picky(1) received Ping that cannot be handled in Idle.", kind: BugKind.UnhandledEvent);

        Assert.Equal("Ping in Idle", lastUnhandled);
    }

    [OnEventDoAction(typeof(Go), nameof(OnGo))]
    private sealed class Forgiving : Actor
    {
        private Journal journal;

        protected override Task OnInitializeAsync(Event initialEvent)
        {
            journal = ((Setup)initialEvent).Journal;
            return Task.CompletedTask;
        }

        private void OnGo() => journal.Add("go");

        protected override OnExceptionOutcome OnException(Exception ex, string methodName, Event e)
        {
            if (ex is UnhandledEventException unhandled)
            {
                journal.Add($"unhandled {unhandled.UnhandledEvent.GetType().Name} in '{unhandled.CurrentStateName}'");
                return OnExceptionOutcome.HandledException;
            }

            return OnExceptionOutcome.ThrowException;
        }
    }

    [Fact]
    public void Actor_OnException_ReceivesUnhandledEventException_AndCanHandleIt()
    {
        var journal = new Journal();
        Test(r =>
        {
            ActorId id = r.CreateActor(typeof(Forgiving), new Setup(journal));
            r.SendEvent(id, new Ping());
            r.SendEvent(id, new Go());
        });

        Assert.Equal(new[] { "unhandled Ping in ''", "go" }, journal.Lines);
    }

    private sealed class Selective : StateMachine
    {
        private Journal journal;

        [Start]
        [OnEntry(nameof(OnSetup))]
        [DeferEvents(typeof(Go))]
        [IgnoreEvents(typeof(Ping))]
        [OnEventGotoState(typeof(Open), typeof(Opened))]
        private sealed class Closed : State
        {
        }

        [IgnoreEvents(typeof(Go))]
        [OnEventDoAction(typeof(Ping), nameof(OnPing))]
        private sealed class Opened : State
        {
        }

        private void OnSetup(Event e) => journal = ((Setup)e).Journal;

        private void OnPing() => journal.Add("ping in " + CurrentStateName);

        protected override void OnEventDeferred(Event e) => journal.Add($"deferred {e.GetType().Name} in {CurrentStateName}");

        protected override void OnEventIgnored(Event e) => journal.Add($"ignored {e.GetType().Name} in {CurrentStateName}");
    }

    private sealed class Open : Event
    {
    }

    [Fact]
    public void StateMachine_OnEventDeferredAndOnEventIgnored_AreCalledForTheEventsTheStateSkips()
    {
        var journal = new Journal();
        Test(r =>
        {
            ActorId id = r.CreateActor(typeof(Selective), new Setup(journal));
            r.SendEvent(id, new Go());
            r.SendEvent(id, new Ping());
            r.SendEvent(id, new Open());
            r.SendEvent(id, new Ping());
        });

        Assert.Equal(new[] { "deferred Go in Closed", "ignored Ping in Closed", "ignored Go in Opened", "ping in Opened" }, journal.Lines);
    }
}
