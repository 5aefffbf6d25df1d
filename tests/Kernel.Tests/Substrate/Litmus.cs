using Verify;
using Verify.Actors;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Substrate;

/// <summary>
/// Litmus tests of the kernel substrate: a tiny machine (one or two CPUs, a few ticks, a test task
/// of a few statements) whose whole state space a stateful depth-first search exhausts, so a test
/// that passes is a proof within its bound. Assertions are made by observers and task code through
/// <c>Specification.Assert</c>.
/// </summary>
internal static class Litmus
{
    /// <summary>Boots a machine that <paramref name="setUp"/> populates, and exhausts its states.</summary>
    internal static TestReport Exhaust(KernelConfig config, Action<KernelState> setUp) =>
        Exhaust(config, (_, k) => setUp(k));

    /// <summary>As above, for a set-up that also registers monitors with the runtime.</summary>
    internal static TestReport Exhaust(KernelConfig config, Action<IActorRuntime, KernelState> setUp)
    {
        TestingEngine engine = TestingEngine.Create(
            Configuration.Create().WithStrategy("stateful-dfs", 0).WithRandomGeneratorSeed(0),
            r =>
            {
                var k = new KernelState(config, r);
                setUp(r, k);
                k.Boot();
            });
        engine.Run();
        return engine.TestReport;
    }

    /// <summary>The search ran without a model error, found no violation and reached every state within the bound.</summary>
    internal static void AssertProved(TestReport report)
    {
        Assert.True(report.Error is null, report.Error);
        Assert.True(report.Bug is null, report.Bug?.Message);
        Assert.True(report.Exhausted, "the state space was not exhausted");
        Assert.Equal(0, report.StateSpace!.BoundCutStates);
    }

    /// <summary>Sleeps on a SCHED_FIFO kthread until an hrtimer on <paramref name="cpu"/> wakes it at <paramref name="jiffies"/> after boot.</summary>
    internal static void ArmWakeup(KernelState k, int cpu, int jiffies, TaskStruct kthread)
    {
        kthread.state = TaskState.Blocked;
        kthread.on_rq = false;
        k.cpus[cpu].hrtimers.Add((k.jiffies + jiffies, kthread));
    }
}
