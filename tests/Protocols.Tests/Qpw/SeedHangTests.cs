using Verify;
using Verify.Protocols.Qpw;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.Qpw;

/// <summary>
/// The hung task of the seed report: a SCHED_FIFO poller on an isolated CPU while the housekeeping
/// CPU runs lru_add_drain_all(). The workqueue baseline never returns (a liveness counterexample
/// whose end is the poller in user space and the drainer in flush_work()); QPW on PREEMPT_RT
/// returns in every schedule (exhaustive search).
/// </summary>
public sealed class SeedHangTests
{
    private static readonly Scenario Seed = Explore.Named("FifoPollerLru");

    [Fact]
    public void Baseline_LruAddDrainAll_NeverReturns_UnderAFifoPoller()
    {
        TestingEngine engine = Explore.Stateful(Variant.Baseline, Seed, Explore.Only(Property.FlushCompletes), "stateful-bfs");

        Assert.Equal(BugKind.Liveness, engine.TestReport.Bug?.Kind);
        string log = engine.ReadableTrace;
        Assert.Contains("flush_work(lru_add_drain_work[0])", log, StringComparison.Ordinal);
        Assert.Contains("busy poll (user space)", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.QpwRfcV1Rt)]
    [InlineData(Variant.QpwV1Rt)]
    [InlineData(Variant.QpwV2Rt)]
    public void QpwOnRt_LruAddDrainAll_Returns_InEverySchedule(Variant variant)
    {
        TestReport report = Explore.Stateful(variant, Seed, Explore.Only(Property.FlushCompletes), "stateful-dfs").TestReport;

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
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
