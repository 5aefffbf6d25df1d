using Verify;
using Verify.Protocols.Qpw;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.Qpw;

/// <summary>
/// The findings the verdict table reports, each checked by the shortest counterexample a
/// breadth-first search finds (replayed from its trace), or by an exhaustive search where it holds.
/// </summary>
public sealed class VerdictTests
{
    [Fact]
    public void QpwOnRt_StillHangs_WhenTheFifoPollerPreemptsALockHolder()
    {
        TestingEngine engine = Explore.Stateful(Variant.QpwV2Rt, Explore.Named("OwnerPreemptedByPollerLru"), Explore.Only(Property.FlushCompletes), "stateful-bfs");

        Assert.Equal(BugKind.Liveness, engine.TestReport.Bug?.Kind);
        Assert.Contains("spin_lock(cpu_fbatches.lock.sl[0]) contended", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("context_switch(owner -> poller)", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void MemcgIsolationSkip_QueuesWorkOnACpuTheCpusetWriterJustIsolated()
    {
        TestingEngine engine = Explore.Stateful(Variant.MemcgIsolationSkip, Explore.Named("CpusetIsolatesMemcg"), Explore.Only(Property.NoIsolatedInterference), "stateful-bfs");

        Assert.Contains("P-QPW-L2", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("cpu_is_isolated(cpu0) = false", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void MemcgIsolationSkip_LeavesFlushingSetOnAnIsolatedCpu()
    {
        TestingEngine engine = Explore.Stateful(Variant.MemcgIsolationSkip, Explore.Named("OwnerMemcg"), Explore.Only(Property.FlushingBitCleared), "stateful-bfs");

        Assert.Equal(BugKind.Liveness, engine.TestReport.Bug?.Kind);
        Assert.Contains("cpu_is_isolated(cpu0) = true", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void IsolatedTaskWork_Hangs_WhenTheDrainComesBeforeThePollersReturnToUser()
    {
        TestingEngine engine = Explore.Stateful(Variant.IsolatedTaskWork, Explore.Named("FifoPollerLru"), Explore.Only(Property.FlushCompletes), "stateful-bfs");

        Assert.Equal(BugKind.Liveness, engine.TestReport.Bug?.Kind);
        Assert.Contains("queue_work_on(cpu0, mm_percpu_wq, &lru_add_drain_work[0]) = true", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void QpwWithoutRt_Returns_EvenWhenThePollerPreemptsTheOwner()
    {
        TestReport report = Explore.Stateful(Variant.QpwV2On, Explore.Named("OwnerPreemptedByPollerLru"), Explore.Only(Property.FlushCompletes), "stateful-dfs").TestReport;

        ModelRuns.AssertExhaustedClean(report);
    }

    [Theory]
    [InlineData(Variant.Baseline, "FifoPollerLru")]
    [InlineData(Variant.QpwV2Off, "OwnerLru")]
    public void RemoteDrainThroughTheWorkqueue_WakesTheIsolatedCpu(Variant variant, string scenario)
    {
        TestingEngine engine = Explore.Stateful(variant, Explore.Named(scenario), Explore.Only(Property.NoIsolatedInterference), "stateful-bfs");

        Assert.Contains("was queued on isolated cpu0", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.QpwV2Rt, "OwnerLru", Property.NoIsolatedInterference)]
    [InlineData(Variant.QpwV2Rt, "OwnerSlub", Property.MutualExclusion)]
    [InlineData(Variant.QpwRfcV1Rt, "OwnerLru", Property.Conservation)]
    [InlineData(Variant.Baseline, "OwnerLru", Property.RightCpu)]
    public void FixedVersions_Hold_InEveryScheduleOfTheMinimalConfiguration(Variant variant, string scenario, Property property)
    {
        TestReport report = Explore.Stateful(variant, Explore.Named(scenario), Explore.Only(property), "stateful-dfs").TestReport;

        ModelRuns.AssertExhaustedClean(report);
    }
}
