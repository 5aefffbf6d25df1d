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

    /// <summary>
    /// The RCU-guarded memcg isolation skip: a cpuset writer that isolates a CPU where a SCHED_FIFO
    /// poller already runs waits in synchronize_rcu() for a grace period that never ends, as rcuc/0
    /// (which reports CPU 0's quiescent state) waits behind the poller, and after it flush_work()
    /// would wait for kworker/0, behind the same poller. Sampled: the configuration has over 300,000
    /// states; the bound of 2,000 steps makes a hot stretch of 1,000 the violation.
    /// </summary>
    [Theory]
    [InlineData(Variant.MemcgIsolationSkipRcu)]
    [InlineData(Variant.QpwV2Rt)]
    public void RcuGuardedMemcg_CpusetWriterNeverReturns_BehindAFifoPollerOnTheCpuItIsolates(Variant variant)
    {
        Configuration config = ModelRuns.Sampling(100, 0).WithMaxSchedulingSteps(Explore.PollerStepBound, Explore.PollerStepBound);
        TestingEngine engine = ModelRuns.Checked(config, r => QpwModel.Run(r, variant, Explore.Named("FifoPollerCpusetIsolatesMemcg"), Explore.Only(Property.FlushCompletes)));

        Assert.Equal(BugKind.Liveness, engine.TestReport.Bug?.Kind);
        Assert.Contains("cpuset_writer: synchronize_rcu: wait_rcu_gp()", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("wake_up_process(rcuc/0): already runnable", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.DoesNotContain("cpuset_write_resmask returns", engine.ReadableTrace, StringComparison.Ordinal);
    }

    /// <summary>Without the poller the same writer's wait returns in every sampled schedule.</summary>
    [Fact]
    public void RcuGuardedMemcg_CpusetWriterReturns_WithoutThePoller()
    {
        TestReport report = Explore.Run(Variant.MemcgIsolationSkipRcu, Explore.Named("OwnerCpusetIsolatesMemcg"), Explore.Only(Property.FlushCompletes), iterations: 300);

        Assert.Null(report.Bug);
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
