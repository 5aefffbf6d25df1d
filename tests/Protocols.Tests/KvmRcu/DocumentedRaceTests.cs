using Verify;
using Verify.Protocols.KvmRcu;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.KvmRcu;

/// <summary>
/// The races named upstream (src/Protocols/KvmRcu/README.md) are found by exploration, as replayable
/// counterexamples. The tests check the engine finds a violation and that its trace shows the
/// mechanism; what the models do is not told which variant should fail.
/// </summary>
public sealed class DocumentedRaceTests
{
    [Fact]
    public void CPlus_WakesRcuc_InTheVcpuPutToIdleWindow_OfAGuestHlt()
    {
        TestingEngine engine = Find(Variant.CPlus, Scenario.GuestHlt, Property.NoRcucWakeupBeforeReentry);

        // The tick lands after kvm_sched_out() cleared the flag and before the idle task's ct_cpuidle_enter().
        string log = engine.ReadableTrace;
        int schedOut = log.IndexOf("kvm_sched_out()", StringComparison.Ordinal);
        int wakeup = log.IndexOf("wake_up_process(rcuc/0)", schedOut + 1, StringComparison.Ordinal);
        int idleEnter = log.IndexOf("ct_cpuidle_enter()", schedOut + 1, StringComparison.Ordinal);
        Assert.True(schedOut >= 0 && wakeup > schedOut && (idleEnter < 0 || wakeup < idleEnter), log);
    }

    [Theory]
    [InlineData(Variant.A)]
    [InlineData(Variant.B)]
    public void Heuristic_KeepsSuppressing_WhileTheVcpuIsPreempted(Variant variant)
    {
        TestingEngine engine = Find(variant, Scenario.VcpuPreempted, Property.NoSuppressionWithoutReentry);

        Assert.Contains("by the rcu_recent_guest_exit() heuristic", engine.TestReport.Bug!.Message, StringComparison.Ordinal);
        Assert.Contains("irq/30-eth0", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void Baseline_WakesRcuc_BetweenAGuestExitAndItsReentry()
    {
        TestingEngine engine = Find(Variant.Baseline, Scenario.SteadyGuest, Property.NoRcucWakeupBeforeReentry);

        Assert.Contains("rcu_pending: return 1", engine.ReadableTrace, StringComparison.Ordinal);
    }

    private static TestingEngine Find(Variant variant, Scenario scenario, Property property)
    {
        Configuration config = Configuration.Create().WithTestingIterations(5000).WithRandomGeneratorSeed(0);
        KvmRcuParams p = Explore.Only(property);
        TestingEngine engine = TestingEngine.Create(config, r => KvmRcuModel.Run(r, variant, scenario, p));
        engine.Run();
        Assert.NotNull(engine.TestReport.Bug);
        Assert.Null(engine.TestReport.Error);
        return engine;
    }
}
