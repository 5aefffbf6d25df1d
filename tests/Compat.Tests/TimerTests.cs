using System;
using System.Threading.Tasks;
using Verify;
using Verify.Actors;
using Verify.Actors.Timers;
using Verify.SystematicTesting;
using Xunit;

namespace Compat.Tests;

public class TimerTests : BaseActorTest
{
    // Most elapsed events ever queued when the owner stopped its timer, over all iterations.
    private static int mostQueuedAtStop;

    /// <summary>
    /// Defers elapsed events until Go, so several can queue up; then stops the timer at the first
    /// one it handles. In Waiting only Go is dequeuable, so OnEventDeferred runs once per queued
    /// elapsed event, all in the dequeue of Go.
    /// </summary>
    private sealed class Owner : StateMachine
    {
        private TimerInfo timer;
        private int deferred;
        private bool stopped;

        [Start]
        [OnEntry(nameof(OnStart))]
        [DeferEvents(typeof(TimerElapsedEvent))]
        [OnEventGotoState(typeof(Go), typeof(Running))]
        private sealed class Waiting : State
        {
        }

        [OnEventDoAction(typeof(TimerElapsedEvent), nameof(OnElapsed))]
        private sealed class Running : State
        {
        }

        private void OnStart()
        {
            timer = StartPeriodicTimer(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10));
            CreateActor(typeof(Kicker), new Setup(null, Id));
        }

        protected override void OnEventDeferred(Event e) => deferred++;

        private void OnElapsed()
        {
            Assert(!stopped, "{0} handled an elapsed event of a timer it had stopped.", Id);
            mostQueuedAtStop = Math.Max(mostQueuedAtStop, deferred);
            StopTimer(timer);
            stopped = true;
        }
    }

    private sealed class Kicker : Actor
    {
        protected override Task OnInitializeAsync(Event initialEvent)
        {
            SendEvent(((Setup)initialEvent).Other, new Go());
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void Timer_StopTimer_DropsElapsedEventsAlreadyQueued()
    {
        mostQueuedAtStop = 0;
        Test(r => r.CreateActor(typeof(Owner)), GetConfiguration().WithRandomStrategy().WithTestingIterations(300).WithMaxSchedulingSteps(200));

        // Not vacuous: some run had two or more elapsed events queued when the timer was stopped.
        Assert.True(mostQueuedAtStop >= 2, $"at most {mostQueuedAtStop} elapsed events were queued at a stop");
    }

    private sealed class NegativeDue : Actor
    {
        protected override Task OnInitializeAsync(Event initialEvent)
        {
            StartTimer(TimeSpan.FromSeconds(-1));
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void Timer_NegativeDueTime_IsABug()
    {
        TestWithError(r => r.CreateActor(typeof(NegativeDue)),
            "NegativeDue(1) started a timer with a negative due time (-00:00:01); a due time must be zero or more.");
    }

    private sealed class NegativePeriod : Actor
    {
        protected override Task OnInitializeAsync(Event initialEvent)
        {
            StartPeriodicTimer(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(-2));
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void Timer_NegativePeriod_IsABug()
    {
        TestWithError(r => r.CreateActor(typeof(NegativePeriod)),
            "NegativePeriod(1) started a periodic timer with a negative period (-00:00:02); a period must be zero or more.");
    }

    /// <summary>Counts its own ticks until its one-shot timer fires; more than 40 is a bug.</summary>
    [OnEventDoAction(typeof(Ping), nameof(OnTick))]
    [OnEventDoAction(typeof(TimerElapsedEvent), nameof(OnElapsed))]
    private sealed class Patient : Actor
    {
        private int ticks;
        private bool fired;

        protected override Task OnInitializeAsync(Event initialEvent)
        {
            StartTimer(TimeSpan.FromSeconds(1));
            SendEvent(Id, new Ping());
            return Task.CompletedTask;
        }

        private void OnTick()
        {
            if (!fired)
            {
                ticks++;
                Assert(ticks <= 40, "{0} waited more than 40 ticks for its timer.", Id);
                SendEvent(Id, new Ping());
            }
        }

        private void OnElapsed() => fired = true;
    }

    [Fact]
    public void Timer_WithoutTimeoutDelay_FiresSoonEnough()
    {
        Test(r => r.CreateActor(typeof(Patient)), GetConfiguration().WithRandomStrategy().WithTestingIterations(50));
    }

    [Fact]
    public void Timer_WithLargeTimeoutDelay_FiresRarely_AndItsTraceReplays()
    {
        // With delay 1000 a scheduled timer fires with probability 1/1000: forty ticks go by first.
        TestReport report = TestWithError(r => r.CreateActor(typeof(Patient)),
            "Patient(1) waited more than 40 ticks for its timer.",
            GetConfiguration().WithRandomStrategy().WithTimeoutDelay(1000));

        Assert.Equal(0, report.BugIteration);
    }
}
