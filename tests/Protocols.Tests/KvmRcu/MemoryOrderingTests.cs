using System.Text.RegularExpressions;
using Verify;
using Verify.Kernel.Memory;
using Verify.Protocols.KvmRcu;
using Verify.SystematicTesting;
using Xunit;
using KvmProperty = Verify.Protocols.KvmRcu.Property;

namespace Protocols.Tests.KvmRcu;

/// <summary>
/// The grace-period guarantee per memory mode (src/Protocols/KvmRcu/README.md, "Memory ordering").
/// ct_state_inc() is a fully ordered atomic_add_return(); the FQS scan reads ct->state with
/// ct_rcu_watching_cpu_acquire() after the leaf lock's full barrier. A kernel whose counter update is
/// a relaxed atomic_add() passes under SC and under TSO (every x86 atomic is a locked instruction,
/// a full barrier) and fails under the LKMM approximation, where the scan may read a counter older
/// than the CPU's own and report an extended quiescent state the CPU has already left. The bound:
/// variant C, a guest that keeps exiting into RCU readers, two jiffies, one synchronize_rcu(), no
/// call_rcu(), each space exhausted.
/// </summary>
public sealed partial class MemoryOrderingTests
{
    private static readonly KvmRcuParams Small =
        Explore.Only(KvmProperty.GracePeriodGuarantee) with { MaxTicks = 2, Callbacks = 0 };

    private static readonly KvmRcuParams Relaxed = Small with { MutantCtStateIncRelaxed = true };

    [GeneratedRegex(@"load ct->state\[cpu0\] = \d+: store #(?<read>\d+) of ct->state\[cpu0\], its view allows #\d+\.\.#(?<newest>\d+)\n\[ *\d+\] +log: hk rcu_sched: rcu_gp_fqs: cpu0 rcu_watching=\d+ -> extended QS")]
    private static partial Regex StaleScan();

    [Theory]
    [InlineData(MemoryMode.Sc)]
    [InlineData(MemoryMode.Tso)]
    public void RelaxedCounterUpdate_Holds_WhereEveryAtomicIsOrdered(MemoryMode mode)
    {
        TestReport report = Explore.Stateful(Variant.C, Scenario.SteadyGuest, Relaxed with { Memory = mode }, "stateful-dfs").TestReport;

        ModelRuns.AssertExhaustedClean(report);
    }

    [Fact]
    public void RelaxedCounterUpdate_EndsAGracePeriodUnderAReader_UnderLkmm()
    {
        TestingEngine engine = Explore.Stateful(Variant.C, Scenario.SteadyGuest, Relaxed with { Memory = MemoryMode.Lkmm }, "stateful-bfs");

        Assert.Contains("is still in its critical section", engine.TestReport.Bug?.Message, StringComparison.Ordinal);

        // The scan's load returned an older store of ct->state than the newest, the CPU's exit from its EQS.
        Match stale = StaleScan().Match(engine.ReadableTrace);
        Assert.True(stale.Success, engine.ReadableTrace);
        Assert.True(int.Parse(stale.Groups["read"].Value) < int.Parse(stale.Groups["newest"].Value), stale.Value);
    }

    [Theory]
    [InlineData(MemoryMode.Tso)]
    [InlineData(MemoryMode.Lkmm)]
    public void FullyOrderedCounterUpdate_Holds_UnderTheWeakModes(MemoryMode mode)
    {
        TestReport report = Explore.Stateful(Variant.C, Scenario.SteadyGuest, Small with { Memory = mode }, "stateful-dfs").TestReport;

        ModelRuns.AssertExhaustedClean(report);
    }

    [Fact]
    public void TheScenariosMemoryMode_IsTheDefault_AndTheParameterOverridesIt()
    {
        Scenario lkmm = Scenario.MemoryModes.Single(s => s.Name == "SteadyGuestLkmm");
        TestReport byScenario = Explore.Stateful(Variant.C, lkmm, Relaxed, "stateful-bfs").TestReport;
        TestReport overridden = Explore.Stateful(Variant.C, lkmm, Relaxed with { Memory = MemoryMode.Sc }, "stateful-dfs").TestReport;

        Assert.NotNull(byScenario.Bug);
        ModelRuns.AssertExhaustedClean(overridden);
    }

    [Fact]
    public void CommittedMutantTrace_ReplaysToTheSameBug()
    {
        string trace = File.ReadAllText(Path.Combine(RepoRoot(), "traces", "kvm-rcu-memory", "C.SteadyGuestLkmm.GracePeriodGuarantee.MutantCtStateIncRelaxed.trace"));
        Scenario lkmm = Scenario.MemoryModes.Single(s => s.Name == "SteadyGuestLkmm");
        KvmRcuParams p = Explore.Only(KvmProperty.GracePeriodGuarantee) with { MutantCtStateIncRelaxed = true };
        TestingEngine replay = TestingEngine.Create(Configuration.Create().WithReproducibleTrace(trace), r => KvmRcuModel.Run(r, Variant.C, lkmm, p));
        replay.Run();

        Assert.Null(replay.TestReport.Divergence);
        Assert.Contains("is still in its critical section", replay.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Matches(StaleScan(), replay.ReadableTrace);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Verify.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("no Verify.sln above " + AppContext.BaseDirectory);
    }
}
