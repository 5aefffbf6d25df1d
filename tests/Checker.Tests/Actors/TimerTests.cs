using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Verify.Actors.Timers;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.Actors;

public sealed class TimerTests
{
    [Fact]
    public void OneShotTimer_FiresExactlyOnce_WithItsInfo_InEverySchedule()
    {
        // Kettle starts a timer in its entry action and asserts every elapsed event it gets. Each run
        // is: Kettle starts (1), delivers the timer's creation (2), the timer starts (3), fires and
        // raises halt (4), delivers the elapsed event and halts (5), Kettle handles it (6). Nothing
        // else is ever enabled alongside, so DFS has exactly one schedule.
        TestingEngine engine = Explore.Dfs(r => r.CreateActor(typeof(Kettle)));

        Assert.Null(engine.TestReport.Bug);
        Assert.True(engine.TestReport.Exhausted);
        Assert.Equal(1, engine.TestReport.Iterations);
        Assert.Equal(6, engine.TestReport.MinSteps);
        Assert.Equal(6, engine.TestReport.MaxSteps);
    }

    [Fact]
    public void CustomTimerEvent_IsDelivered_WithInfoSet()
    {
        (var engine, Journal journal) = Explore.Journaled((r, journal) => r.CreateActor(typeof(Alarm), new WithJournal(journal)));

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["ring(owner=Alarm(1))"], journal.Entries);
    }

    [Fact]
    public void PeriodicTimer_FiresUntilStopped_ThenTheRunTerminates()
    {
        var journals = new List<Journal>();
        TestingEngine engine = Explore.With("random", r =>
        {
            var journal = new Journal();
            journals.Add(journal);
            r.CreateActor(typeof(Metronome), new WithJournal(journal));
        }, iterations: 50, maxSteps: 10_000);

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(0, engine.TestReport.StepBoundHits);
        Assert.All(journals, j => Assert.Equal(["tick", "tick", "tick", "stopped"], j.Entries.Take(4)));
    }

    private sealed class Kettle : StateMachine
    {
        private TimerInfo timer = null!;
        private int fired;

        [Start]
        [OnEntry(nameof(Boil))]
        [OnEventDoAction(typeof(TimerElapsedEvent), nameof(OnElapsed))]
        private sealed class Heating : State
        {
        }

        private void Boil() => timer = StartTimer(TimeSpan.FromMinutes(3));

        private void OnElapsed(Event e)
        {
            fired++;
            Assert(fired == 1, "The one-shot timer fired {0} times.", fired);
            Assert(((TimerElapsedEvent)e).Info == timer, "The elapsed event carries another timer's info.");
        }
    }

    private sealed class Ring : TimerElapsedEvent
    {
    }

    private sealed class Alarm : StateMachine
    {
        private Journal journal = null!;

        [Start]
        [OnEntry(nameof(Set))]
        [OnEventDoAction(typeof(Ring), nameof(OnRing))]
        private sealed class Waiting : State
        {
        }

        private void Set(Event e)
        {
            journal = ((WithJournal)e).Journal;
            StartTimer(TimeSpan.FromSeconds(1), new Ring());
        }

        private void OnRing(Event e) => journal.Add($"ring(owner={((Ring)e).Info.OwnerId})");
    }

    private sealed class Metronome : StateMachine
    {
        private Journal journal = null!;
        private TimerInfo timer = null!;
        private int ticks;

        [Start]
        [OnEntry(nameof(Go))]
        [OnEventDoAction(typeof(TimerElapsedEvent), nameof(OnTick))]
        private sealed class Ticking : State
        {
        }

        private void Go(Event e)
        {
            journal = ((WithJournal)e).Journal;
            timer = StartPeriodicTimer(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }

        private void OnTick()
        {
            journal.Add("tick");
            if (++ticks == 3)
            {
                StopTimer(timer);
                journal.Add("stopped");
            }
        }
    }
}
