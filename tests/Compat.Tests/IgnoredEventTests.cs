using Verify.Actors;
using Verify.Specifications;
using Xunit;

namespace Compat.Tests;

public class IgnoredEventTests : BaseActorTest
{
    private sealed class Go : Event
    {
    }

    private sealed class Dropped : Monitor.Event
    {
    }

    /// <summary>Ignores Ping and defers Go for good; tells the journal and the watcher what it drops.</summary>
    private sealed class Deaf : StateMachine
    {
        private Journal journal;

        [Start]
        [OnEntry(nameof(OnSetup))]
        [IgnoreEvents(typeof(Ping))]
        [DeferEvents(typeof(Go))]
        private sealed class Listening : State
        {
        }

        private void OnSetup(Event e) => journal = ((Setup)e).Journal;

        protected override void OnEventIgnored(Event e)
        {
            journal.Add($"ignored {e.GetType().Name} in {CurrentStateName}");
            Monitor<DropWatch>(new Dropped());
        }
    }

    /// <summary>Hot until the machine has dropped an ignored event.</summary>
    private sealed class DropWatch : Monitor
    {
        [Start]
        [Hot]
        [OnEventGotoState(typeof(Dropped), typeof(Seen))]
        private sealed class Waiting : State
        {
        }

        [Cold]
        [IgnoreEvents(typeof(Dropped))]
        private sealed class Seen : State
        {
        }
    }

    [Fact]
    public void StateMachine_IgnoredEventLastInTheInbox_IsDroppedAndOnEventIgnoredRuns()
    {
        var journal = new Journal();
        Test(r =>
        {
            r.RegisterMonitor<DropWatch>();
            ActorId id = r.CreateActor(typeof(Deaf), new Setup(journal));
            r.SendEvent(id, new Ping());
        });

        Assert.Equal(new[] { "ignored Ping in Listening" }, journal.Lines);
    }

    [Fact]
    public void StateMachine_IgnoredEventBehindADeferredOne_IsDroppedAndTheDeferredOneStays()
    {
        var journal = new Journal();
        Test(
            r =>
            {
                r.RegisterMonitor<DropWatch>();
                ActorId id = r.CreateActor(typeof(Deaf), new Setup(journal));
                r.SendEvent(id, new Go());
                r.SendEvent(id, new Ping());
                r.SendEvent(id, new Ping());
            },
            GetConfiguration().WithTestingIterations(20));

        // Each iteration drops both pings; the deferred Go stays queued and is never dropped.
        Assert.Equal(40, journal.Lines.Count);
        Assert.All(journal.Lines, line => Assert.Equal("ignored Ping in Listening", line));
    }
}
