using Verify;
using Verify.Protocols.Qpw;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.Qpw;

/// <summary>
/// The hung task of the seed report: a SCHED_FIFO poller on an isolated CPU while the housekeeping
/// CPU runs lru_add_drain_all(). The workqueue baseline never returns: the search finds a fair
/// lasso whose loop is the poller polling in user space while kworker/0 waits on the run queue and
/// the drainer sleeps in flush_work(); QPW on PREEMPT_RT returns in every schedule (exhaustive search).
/// </summary>
public sealed class SeedHangTests
{
    private const string LoopBegins = "-- the loop begins";

    private static readonly Scenario Seed = Explore.Named("FifoPollerLru");

    [Fact]
    public void Baseline_LruAddDrainAll_NeverReturns_UnderAFifoPoller_AFairLassoOfThePollersLoop()
    {
        TestingEngine engine = Explore.Stateful(Variant.Baseline, Seed, Explore.Only(Property.FlushCompletes), "stateful-bfs");

        Assert.Equal(BugKind.Liveness, engine.TestReport.Bug?.Kind);
        Assert.Contains("stays hot forever on a fair cycle", engine.TestReport.Bug!.Message, StringComparison.Ordinal);
        string log = engine.ReadableTrace;
        int loop = log.IndexOf(LoopBegins, StringComparison.Ordinal);
        Assert.True(loop > 0, "the counterexample is a lasso: its trace marks where the loop begins");
        string stem = log[..loop];
        string cycle = log[loop..];

        // The stem: the drain queued on the isolated CPU woke kworker/0, and the drainer went to sleep in flush_work().
        Assert.Contains("queue_work_on(cpu0, mm_percpu_wq, &lru_add_drain_work[0]) = true", stem, StringComparison.Ordinal);
        Assert.Contains("flush_work(lru_add_drain_work[0])", stem, StringComparison.Ordinal);
        Assert.DoesNotContain("process_one_work(lru_add_drain_work[0])", log, StringComparison.Ordinal);

        // The loop: nothing but the poller's busy-poll steps on cpu0, and the drain never returns.
        string[] steps = cycle.Split('\n').Where(l => l.Contains("log: ", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(steps);
        Assert.All(steps, l => Assert.Contains("cpu0 poller: busy poll (user space)", l, StringComparison.Ordinal));
        Assert.DoesNotContain("lru_add_drain_all() returns", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.QpwRfcV1Rt)]
    [InlineData(Variant.QpwV1Rt)]
    [InlineData(Variant.QpwV2Rt)]
    public void QpwOnRt_LruAddDrainAll_Returns_InEverySchedule(Variant variant)
    {
        TestReport report = Explore.Stateful(variant, Seed, Explore.Only(Property.FlushCompletes), "stateful-dfs").TestReport;

        ModelRuns.AssertExhaustedClean(report);
    }

    [Theory]
    [InlineData(Variant.QpwV1Off)]
    [InlineData(Variant.QpwV2Off)]
    [InlineData(Variant.QpwRfcV1)]
    public void QpwInLocalLockMode_HangsLikeTheBaseline(Variant variant)
    {
        TestReport report = Explore.Stateful(variant, Seed, Explore.Only(Property.FlushCompletes), "stateful-bfs").TestReport;

        Assert.Equal(BugKind.Liveness, report.Bug?.Kind);
    }
}
