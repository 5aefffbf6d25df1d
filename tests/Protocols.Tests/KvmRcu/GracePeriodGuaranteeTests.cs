using Verify;
using Verify.Protocols.KvmRcu;
using KvmProperty = Verify.Protocols.KvmRcu.Property;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.KvmRcu;

public sealed class GracePeriodGuaranteeTests
{
    [Fact]
    public void Guarantee_IsViolated_WhenCtIrqEnterForgetsToMakeRcuWatch()
    {
        // The monitor is not vacuous in the configuration of its verdict cells: with a broken
        // ct_irq_enter(), a tick from idle reads under rcu_read_lock() while a grace period starts
        // and its first FQS scan (at once: the guarantee's cells run with jiffies_till_first_fqs=0)
        // sees the CPU in its EQS and ends the grace period.
        Assert.Equal(0, KvmRcuModel.FqsFor(Explore.Only(KvmProperty.GracePeriodGuarantee)));
        var broken = Explore.Only(KvmProperty.GracePeriodGuarantee) with { MutantIrqEnterDoesNotWatch = true };
        TestReport report = Explore.Run(Variant.M, Scenario.GuestHlt, broken, iterations: 5000);

        Assert.Equal(BugKind.Assertion, report.Bug?.Kind);
        Assert.Contains("is still in its critical section", report.Bug!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CallbackCheck_IsViolated_WhenCallRcuRidesTheCurrentGracePeriod()
    {
        // A callback queued while a grace period is in progress may not complete with it: a reader
        // that began after that grace period started can still run. The broken call_rcu() lets it;
        // it shows with two CPUs, where one has reported its quiescent state and the other not yet.
        // The vCPU takes four MMIO exits, each with a reader, so readers overlap the call_rcu() calls.
        var broken = Explore.Only(KvmProperty.GracePeriodGuarantee) with { Callbacks = 2, MaxTicks = 6, MutantCallbackRidesCurrentGracePeriod = true };
        Scenario readers = Scenario.VcpuMigrated with { Vcpu = new VcpuScript { Runs = [[ExitReason.Mmio, ExitReason.Mmio, ExitReason.Mmio, ExitReason.Mmio]] } };
        TestReport report = Explore.Run(Variant.Baseline, readers, broken, iterations: 5000);

        Assert.Equal(BugKind.Assertion, report.Bug?.Kind);
        Assert.Contains("which was running when call_rcu() queued it", report.Bug!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Guarantee_Holds_WithTheSameSchedules_WhenCtIrqEnterIsCorrect()
    {
        var correct = Explore.Only(KvmProperty.GracePeriodGuarantee);
        TestReport report = Explore.Run(Variant.M, Scenario.GuestHlt, correct, iterations: 5000);

        Assert.Null(report.Bug);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Guarantee_Holds_InEveryScenario_OfEveryVariant(Variant variant)
    {
        foreach (Scenario scenario in Scenario.All)
        {
            TestReport report = Explore.Run(variant, scenario, Explore.Only(KvmProperty.GracePeriodGuarantee), iterations: 300);

            Assert.True(report.Bug is null, $"{variant}.{scenario.Name}: {report.Bug?.Summary}");
            Assert.Equal(300, report.Iterations);
            Assert.Equal(0, report.StepBoundHits);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void CallRcuCallbacks_RunOnlyAfterThePreexistingReadersEnd(Variant variant)
    {
        var stats = new KvmRcuStatistics();
        var p = Explore.Only(KvmProperty.GracePeriodGuarantee) with { Callbacks = 2, MaxTicks = 6, Statistics = stats };
        foreach (Scenario scenario in new[] { Scenario.SteadyGuest, Scenario.GuestHlt, Scenario.VcpuPreempted, Scenario.VcpuMigrated })
        {
            TestReport report = Explore.Run(variant, scenario, p, iterations: 300);

            Assert.True(report.Bug is null, $"{variant}.{scenario.Name}: {report.Bug?.Summary}");
        }

        // Reachability: callbacks were queued and invoked, so the check above had something to check.
        Assert.True(stats.CallbacksInvoked > 0);
    }

    public static TheoryData<Variant> Variants() => new(Enum.GetValues<Variant>());
}
