using Verify;
using Verify.Protocols.KvmRcu;
using Verify.SystematicTesting;
using Xunit;
using KvmProperty = Verify.Protocols.KvmRcu.Property;

namespace Protocols.Tests.KvmRcu;

/// <summary>
/// Issue 12's fidelity defects as they show in the KVM/RCU model (the substrate's own litmus tests
/// are in tests/Kernel.Tests/Substrate): each test fails on the old behaviour its comment names.
/// Fixed seeds and budgets keep them deterministic.
/// </summary>
public sealed class FidelityTests
{
    public static TheoryData<Variant> Variants => [.. Enum.GetValues<Variant>()];

    /// <summary>
    /// Defect 1: the completion property can fail in its verdict configuration. Its run lasts longer
    /// than its bound, and the FQS scan that never counts an extended quiescent state breaks it in
    /// some scenario of every variant. Catches the old fixed four ticks, shorter than the six-jiffy
    /// bound, under which no grace period was ever observed old enough to fail.
    /// </summary>
    [Theory]
    [MemberData(nameof(Variants))]
    public void GracePeriodCompletion_CanFail_InItsVerdictConfiguration(Variant variant)
    {
        KvmRcuParams p = Explore.Only(KvmProperty.GracePeriodCompletion);
        foreach (Scenario s in Scenario.All)
        {
            Assert.True(
                KvmRcuModel.TicksFor(variant, s, p) > KvmRcuModel.CompletionBound(variant, s, p),
                $"{variant}.{s.Name}: {KvmRcuModel.TicksFor(variant, s, p)} ticks, bound {KvmRcuModel.CompletionBound(variant, s, p)}");
        }

        KvmRcuParams mutant = p with { MutantFqsIgnoresEqs = true };
        var held = new List<string>();
        foreach (Scenario scenario in Scenario.All)
        {
            TestReport report = Explore.Run(variant, scenario, mutant, iterations: 1000);
            if (report.Bug is not null)
            {
                Assert.Equal(BugKind.Assertion, report.Bug.Kind);
                return;
            }

            held.Add(scenario.Name);
        }

        Assert.Fail($"{variant}: the broken FQS scan held in every scenario ({string.Join(", ", held)}): the completion property cannot fail");
    }

    /// <summary>
    /// Defect 4: a vCPU preempted and migrated to cpu1 runs without a model error in every variant.
    /// Catches the old preempt_enable() that decremented, yielded, and then tested the count and need_resched through the CpuState
    /// captured before the task moved ("cpu1 touched cpu0's preempt_count").
    /// </summary>
    [Theory]
    [MemberData(nameof(Variants))]
    public void VcpuMigrated_RunsWithoutAModelError(Variant variant)
    {
        TestReport report = Explore.Run(variant, Scenario.VcpuMigrated, Explore.Only(KvmProperty.GracePeriodGuarantee), iterations: 2000);

        Assert.True(report.Bug is null, report.Bug?.Summary);
        Assert.Equal(2000, report.Iterations);
    }

    /// <summary>
    /// Defect 5: MNotNohzFull runs on a CPU outside nohz_full, so context tracking of guest mode is
    /// off (guest entry notes rcu_virt_note_context_switch() instead of ct_user_enter()), and a tick
    /// in the VMM's userspace is a tick from user. The trace read is the replayed bug of the FQS
    /// mutant, which records every tick. Catches the old tick that derived "user" from ct->state, which
    /// never says USER where context tracking is off.
    /// </summary>
    [Fact]
    public void MNotNohzFull_HasContextTrackingOff_AndTicksInTheVmmAreFromUser()
    {
        KvmRcuParams p = Explore.Only(KvmProperty.GracePeriodCompletion) with { MutantFqsIgnoresEqs = true };
        TestingEngine engine = TestingEngine.Create(
            Configuration.Create().WithTestingIterations(1000).WithRandomGeneratorSeed(0),
            r => KvmRcuModel.Run(r, Variant.MNotNohzFull, Scenario.VcpuMigrated, p));
        engine.Run();
        Assert.NotNull(engine.TestReport.Bug);
        TestingEngine replay = TestingEngine.Create(
            Configuration.Create().WithReproducibleTrace(engine.ReproducibleTrace),
            r => KvmRcuModel.Run(r, Variant.MNotNohzFull, Scenario.VcpuMigrated, p));
        replay.Run();
        string trace = replay.ReadableTrace;

        Assert.Contains("guest_context_enter_irqoff: rcu_virt_note_context_switch()", trace, StringComparison.Ordinal);
        Assert.DoesNotContain("ct_user_enter(CT_STATE_GUEST)", trace, StringComparison.Ordinal);
        Assert.Contains("rcu_sched_clock_irq(user=1)", trace, StringComparison.Ordinal);
    }

    /// <summary>
    /// Defect 8: the idle-window monitor says which window it caught, and GuestHlt polls before it
    /// blocks. CPlus.GuestHlt's wakeup is in the vcpu_put-to-idle window of a guest HLT, after
    /// kvm_vcpu_halt()'s halt polling. Catches the old GuestHlt without halt polling.
    /// </summary>
    [Fact]
    public void GuestHlt_PollsBeforeBlocking_AndItsWindowIsTheVcpuPutWindow()
    {
        TestingEngine engine = Explore.Stateful(Variant.CPlus, Scenario.GuestHlt, Explore.Only(KvmProperty.NoRcucWakeupEnteringIdle), "stateful-bfs");

        Assert.Contains("the vcpu_put-to-idle window of a guest HLT", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("kvm_vcpu_halt: halt polling", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.True(
            engine.ReadableTrace.IndexOf("kvm_vcpu_halt: halt polling", StringComparison.Ordinal) < engine.ReadableTrace.IndexOf("kvm_vcpu_block", StringComparison.Ordinal),
            "halt polling comes before kvm_vcpu_block()");
    }

    /// <summary>
    /// Defect 8: a wakeup while idle is scheduled in at VM termination is reported as a generic
    /// idle-entry window, not as KVM's vcpu_put window. Catches the old monitor whose message named
    /// the vcpu_put window for every switch to idle.
    /// </summary>
    [Fact]
    public void IdleWindowMonitor_CallsAVmTerminationHit_AGenericIdleEntryWindow()
    {
        TestingEngine engine = Explore.Stateful(Variant.Baseline, Scenario.VmTermination, Explore.Only(KvmProperty.NoRcucWakeupEnteringIdle), "stateful-bfs");

        string? message = engine.TestReport.Bug?.Message;
        Assert.Contains("a generic idle-entry window", message, StringComparison.Ordinal);
        Assert.DoesNotContain("vcpu_put", message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Defect 9: statistics count the ticks the modelled CPUs took, so rcuc wakeups are presented as
    /// a per-tick rate. Catches the old statistics that counted no ticks and gave only wakeups per
    /// grace period.
    /// </summary>
    [Fact]
    public void Statistics_CountTicksTaken_AndWakeupsPer100Ticks()
    {
        var stats = new KvmRcuStatistics();
        KvmRcuParams p = Explore.Only(KvmProperty.NoRcucWakeupBeforeReentry) with { MaxTicks = 6, Statistics = stats };
        TestingEngine engine = TestingEngine.Create(
            Configuration.Create().WithTestingIterations(200).WithRandomGeneratorSeed(0).WithRandomStrategy(),
            r => KvmRcuModel.Run(r, Variant.Baseline, Scenario.SteadyGuest, p));
        engine.Run();

        Assert.Null(engine.TestReport.Error);
        Assert.True(stats.Ticks >= 200, $"{stats.Ticks} ticks in 200 runs");
        Assert.True(stats.RcucWakeups > 0, "Baseline wakes rcuc in a steady guest");
        Assert.Equal(100.0 * stats.RcucWakeups / stats.Ticks, stats.WakeupsPer100Ticks, 9);
        Assert.True(stats.WakeupsPer100Ticks <= 100, $"{stats.WakeupsPer100Ticks} wakeups per 100 ticks");
    }
}
