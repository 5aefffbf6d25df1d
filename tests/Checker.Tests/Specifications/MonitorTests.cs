using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.Specifications;

public sealed class MonitorTests
{
    [Fact]
    public void HotMonitor_AtTheEndOfATerminatedRun_IsALivenessBug()
    {
        // The job starts (monitor hot) and never finishes: the run terminates after the worker's
        // initialization (step 1) with the monitor still hot.
        TestReport report = Explore.Once(r =>
        {
            r.RegisterMonitor<JobProgress>();
            r.CreateActor(typeof(JobRunner), new JobRunner.Setup(finish: false, fail: false));
        }).TestReport;

        Assert.Equal(BugKind.Liveness, report.Bug?.Kind);
        Assert.Equal("Monitor JobProgress detected a liveness bug: in hot state Running at the end of the run (terminated at step 1).", report.Bug!.Message);
        Assert.True(report.HasLivenessMonitors);
    }

    [Fact]
    public void MonitorThatCoolsDown_IsNotABug()
    {
        TestReport report = Explore.Once(r =>
        {
            r.RegisterMonitor<JobProgress>();
            r.CreateActor(typeof(JobRunner), new JobRunner.Setup(finish: true, fail: false));
        }).TestReport;

        Assert.Null(report.Bug);
        Assert.Equal("checked by temperature (threshold 5000 steps) in 1 fair runs and at termination in 1 runs", report.LivenessSummary);
    }

    [Fact]
    public void WarmMonitor_AtTheEndOfTheRun_IsNotABug()
    {
        // JobProgress starts in Idle, which is neither hot nor cold.
        TestReport report = Explore.Once(r => r.RegisterMonitor<JobProgress>()).TestReport;

        Assert.Null(report.Bug);
        Assert.Equal(1, report.TerminatedRuns);
    }

    [Fact]
    public void MonitorWithoutHotStates_DoesNotCheckLiveness()
    {
        TestReport report = Explore.Once(r => r.RegisterMonitor<CallCounter>()).TestReport;

        Assert.Null(report.Bug);
        Assert.False(report.HasLivenessMonitors);
        Assert.Equal("not checked: no registered monitor has a hot state", report.LivenessSummary);
    }

    [Fact]
    public void MonitorAssert_ThatFails_IsAnAssertionBug()
    {
        TestReport report = Explore.Once(r =>
        {
            r.RegisterMonitor<JobProgress>();
            r.CreateActor(typeof(JobRunner), new JobRunner.Setup(finish: true, fail: true));
        }).TestReport;

        Assert.Equal(BugKind.Assertion, report.Bug?.Kind);
        Assert.Equal("JobProgress saw Finished while Idle", report.Bug!.Message);
    }

    [Fact]
    public void MonitorEvent_ItCannotHandle_IsAnUnhandledEventBug()
    {
        TestReport report = Explore.Once(r =>
        {
            r.RegisterMonitor<CallCounter>();
            r.Monitor<CallCounter>(new JobStarted());
        }).TestReport;

        Assert.Equal(BugKind.UnhandledEvent, report.Bug?.Kind);
        Assert.Equal("Monitor CallCounter received JobStarted that cannot be handled in Counting.", report.Bug!.Message);
    }

    [Fact]
    public void RegisteringTheSameMonitorTwice_KeepsOneInstance()
    {
        TestReport report = Explore.Once(r =>
        {
            r.RegisterMonitor<CallCounter>();
            r.RegisterMonitor<CallCounter>();
            r.Monitor<CallCounter>(new Call(1));
        }).TestReport;

        Assert.Null(report.Bug);
    }

    private sealed class JobStarted : Monitor.Event
    {
    }

    private sealed class JobFinished : Monitor.Event
    {
    }

    private sealed class Call(int number) : Monitor.Event
    {
        public int Number { get; } = number;
    }

    private sealed class JobProgress : Monitor
    {
        [Start]
        [OnEventGotoState(typeof(JobStarted), typeof(Running))]
        [OnEventDoAction(typeof(JobFinished), nameof(Unexpected))]
        private sealed class Idle : State
        {
        }

        [Hot]
        [OnEventGotoState(typeof(JobFinished), typeof(Done))]
        private sealed class Running : State
        {
        }

        [Cold]
        private sealed class Done : State
        {
        }

        private void Unexpected() => Assert(false, "JobProgress saw Finished while {0}", CurrentState.Name);
    }

    private sealed class CallCounter : Monitor
    {
        private int calls;

        [Start]
        [OnEventDoAction(typeof(Call), nameof(OnCall))]
        private sealed class Counting : State
        {
        }

        private void OnCall(Event e)
        {
            calls++;
            Assert(((Call)e).Number <= calls, "call {0} arrived but only {1} were counted", ((Call)e).Number, calls);
        }
    }

    private sealed class JobRunner : Actor
    {
        internal sealed class Setup(bool finish, bool fail) : Event
        {
            public bool Finish { get; } = finish;

            public bool Fail { get; } = fail;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            var setup = (Setup)initialEvent!;
            if (setup.Fail)
            {
                Monitor<JobProgress>(new JobFinished());
            }

            Monitor<JobProgress>(new JobStarted());
            if (setup.Finish)
            {
                Monitor<JobProgress>(new JobFinished());
            }

            return Task.CompletedTask;
        }
    }
}
