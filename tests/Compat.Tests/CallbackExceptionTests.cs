using System;
using System.Threading.Tasks;
using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;

namespace Compat.Tests;

/// <summary>An exception thrown synchronously by a lifecycle callback goes through OnException, as one thrown by a handler does.</summary>
public class CallbackExceptionTests : BaseActorTest
{
    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class FailsToInitialize : Actor
    {
        private Journal journal;

        protected override Task OnInitializeAsync(Event initialEvent)
        {
            journal = ((Setup)initialEvent).Journal;
            throw new InvalidOperationException("no configuration");
        }

        private void OnPing() => journal.Add("ping");

        protected override OnExceptionOutcome OnException(Exception ex, string methodName, Event e)
        {
            journal.Add($"{methodName}: {ex.Message}");
            return OnExceptionOutcome.HandledException;
        }
    }

    [Fact]
    public void Actor_OnInitializeAsyncThrowing_GoesThroughOnException()
    {
        var journal = new Journal();
        Test(r =>
        {
            ActorId id = r.CreateActor(typeof(FailsToInitialize), new Setup(journal));
            r.SendEvent(id, new Ping());
        });

        Assert.Equal(new[] { "OnInitializeAsync: no configuration", "ping" }, journal.Lines);
    }

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class FailsOnDequeue : Actor
    {
        protected override Task OnEventDequeuedAsync(Event e) => throw new InvalidOperationException("dequeue");

        private void OnPing()
        {
        }
    }

    [Fact]
    public void Actor_OnEventDequeuedAsyncThrowing_IsReportedAsABug()
    {
        TestReport report = TestWithErrorStartingWith(
            r => r.SendEvent(r.CreateActor(typeof(FailsOnDequeue)), new Ping()),
            "FailsOnDequeue(1).OnEventDequeuedAsync threw InvalidOperationException: dequeue handling Ping.");

        Assert.Equal(BugKind.Exception, report.Bug.Kind);
    }

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class FailsAfterHandling : Actor
    {
        private Journal journal;

        protected override Task OnInitializeAsync(Event initialEvent)
        {
            journal = ((Setup)initialEvent).Journal;
            return Task.CompletedTask;
        }

        private void OnPing() => journal.Add("ping");

        protected override Task OnEventHandledAsync(Event e) => throw new InvalidOperationException("after");

        protected override OnExceptionOutcome OnException(Exception ex, string methodName, Event e)
        {
            journal.Add($"{methodName}: {ex.Message}");
            return OnExceptionOutcome.Halt;
        }
    }

    [Fact]
    public void Actor_OnEventHandledAsyncThrowing_HaltsTheActor_WhenOnExceptionSaysHalt()
    {
        var journal = new Journal();
        Test(r =>
        {
            ActorId id = r.CreateActor(typeof(FailsAfterHandling), new Setup(journal));
            r.SendEvent(id, new Ping());
            r.SendEvent(id, new Ping());
        });

        // The second ping is dropped: the actor halted after the first.
        Assert.Equal(new[] { "ping", "OnEventHandledAsync: after" }, journal.Lines);
    }

    private sealed class FailsToHalt : Actor
    {
        protected override Task OnHaltAsync(Event e) => throw new InvalidOperationException("halt");
    }

    [Fact]
    public void Actor_OnHaltAsyncThrowing_IsReportedAsABug()
    {
        TestWithErrorStartingWith(
            r => r.SendEvent(r.CreateActor(typeof(FailsToHalt)), HaltEvent.Instance),
            "FailsToHalt(1).OnHaltAsync threw InvalidOperationException: halt handling HaltEvent.");
    }
}
