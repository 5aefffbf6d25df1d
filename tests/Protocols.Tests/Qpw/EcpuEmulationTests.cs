using Verify;
using Verify.Protocols.Qpw;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.Qpw;

/// <summary>
/// The "ecpu emulation" design, reconstructed on PREEMPT_RT: the requester emulates the remote CPU
/// (this_cpu_ptr() resolving through thread_info->ecpu) and runs the unconverted work function
/// itself, under that CPU's local_lock_t, which PREEMPT_RT makes a per-CPU spinlock.
/// </summary>
public sealed class EcpuEmulationTests
{
    [Fact]
    public void Emulation_Returns_UnderAFifoPoller_InEverySchedule()
    {
        TestReport report = Explore.Stateful(Variant.EcpuEmulationRt, Explore.Named("FifoPollerLru"), Explore.Only(Property.FlushCompletes), "stateful-dfs").TestReport;

        ModelRuns.AssertExhaustedClean(report);
    }

    [Theory]
    [InlineData("OwnerLru", Property.MutualExclusion)]
    [InlineData("OwnerMemcg", Property.Conservation)]
    [InlineData("OwnerSlub", Property.RightCpu)]
    public void Emulation_KeepsTheOwnersLock_InEverySchedule(string scenario, Property property)
    {
        TestReport report = Explore.Stateful(Variant.EcpuEmulationRt, Explore.Named(scenario), Explore.Only(property), "stateful-dfs").TestReport;

        ModelRuns.AssertExhaustedClean(report);
    }

    [Fact]
    public void Emulation_TakesTheTargetsLocalLock_AndHangsLikeQpwOnRt_BehindAPreemptedHolder()
    {
        TestingEngine engine = Explore.Stateful(Variant.EcpuEmulationRt, Explore.Named("OwnerPreemptedByPollerLru"), Explore.Only(Property.FlushCompletes), "stateful-bfs");

        Assert.Equal(BugKind.Liveness, engine.TestReport.Bug?.Kind);
        string log = engine.ReadableTrace;
        Assert.Contains("hk drainer: queue_percpu_work_on(cpu0): current_thread_info()->ecpu = 0", log, StringComparison.Ordinal);
        Assert.Contains("hk drainer: lru_add_drain_cpu: local_lock: this_cpu_ptr(&cpu_fbatches.lock) = cpu0's (ecpu 0)", log, StringComparison.Ordinal);
        Assert.Contains("hk drainer: local_lock(cpu_fbatches.lock[0]) contended", log, StringComparison.Ordinal);
        Assert.Contains("context_switch(owner -> poller)", log, StringComparison.Ordinal);
        Assert.DoesNotContain("queue_work_on(", log, StringComparison.Ordinal);
    }
}
