using FsCheck;
using FsCheck.Fluent;
using Verify.Protocols.KvmRcu;
using Verify.SystematicTesting;
using Xunit;
using KvmProperty = Verify.Protocols.KvmRcu.Property;
using Property = FsCheck.Property;

namespace Protocols.Tests.KvmRcu;

/// <summary>
/// FsCheck makes small workloads (exit sequences of the guest, one or two nohz_full CPUs, where a
/// halted vCPU wakes, HZ, ticks, patience, call_rcu() callbacks) and the checker explores each one's schedules.
/// </summary>
public sealed class GeneratedConfigurationTests
{
    private static readonly Gen<Scenario> Scenarios =
        from exits in Gen.Elements(ExitReason.Mmio, ExitReason.Hlt).ListOf().Select(l => l.Take(3).ToArray())
        from cpus in Gen.Choose(1, 2)
        from wakeOn in Gen.Choose(-1, cpus - 1)
        from softirq in Gen.Choose(0, 2)
        select new Scenario
        {
            Name = "Generated",
            Cpus = cpus,
            Vcpu = new VcpuScript { Runs = [exits], WakeOnCpu = wakeOn, SoftirqStatements = softirq },
        };

    private static readonly Arbitrary<(Variant, Scenario, KvmRcuParams)> Configurations = (
        from variant in Gen.Elements(Enum.GetValues<Variant>())
        from scenario in Scenarios
        from hz in Gen.Choose(2, 6)
        from ticks in Gen.Choose(1, 5)
        from patience in Gen.Choose(1, 4)
        from fqs in Gen.Choose(0, 2)
        from callbacks in Gen.Choose(0, 2)
        select (variant, scenario, KvmRcuParams.Minimal with { HZ = hz, MaxTicks = ticks, PatienceJiffies = patience, JiffiesTillFqs = fqs, Callbacks = callbacks })).ToArbitrary();

    [Fact]
    public void GracePeriodGuarantee_Holds_ForGeneratedWorkloads()
    {
        FsChecks.Check(Prop.ForAll(Configurations, c =>
        {
            (Variant variant, Scenario scenario, KvmRcuParams p) = c;
            TestReport report = Explore.Run(variant, scenario, p with { Properties = [KvmProperty.GracePeriodGuarantee] }, iterations: 30, seed: 5);
            return report.Bug is null && report.StepBoundHits == 0;
        }), seed: 20_261_122, maxTest: 30);
    }

    [Fact]
    public void EveryCounterexample_OfAGeneratedWorkload_ReplaysToTheSameBug()
    {
        // Explore.Run replays each bug it finds from the trace text and asserts the same bug and no
        // divergence; here the workloads and the latency properties are generated.
        int found = 0;
        FsChecks.Check(Prop.ForAll(Configurations, c =>
        {
            (Variant variant, Scenario scenario, KvmRcuParams p) = c;
            TestReport report = Explore.Run(variant, scenario, p with { Properties = [KvmProperty.NoRcucWakeupBeforeReentry, KvmProperty.NoSuppressionWithoutReentry] }, iterations: 30, seed: 9);
            found += report.Bug is null ? 0 : 1;
            return report.Error is null;
        }), seed: 20_261_122, maxTest: 30);

        // Reachability: the generated workloads do produce counterexamples to replay.
        Assert.True(found > 0);
    }
}
