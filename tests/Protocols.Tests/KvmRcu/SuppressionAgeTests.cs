using Verify;
using Verify.Protocols.KvmRcu;
using Verify.SystematicTesting;
using Xunit;
using KvmProperty = Verify.Protocols.KvmRcu.Property;

namespace Protocols.Tests.KvmRcu;

/// <summary>
/// P-RK-L1 checked directly: no heuristic holds rcu_core() off once the grace period is
/// min(patience, 1 s) old. It holds in the verdict configuration, and a kernel whose
/// rcu_nohz_full_cpu() lost its one-second cap breaks it in every variant with a heuristic, so its
/// "held" cells are not vacuous.
/// </summary>
public sealed class SuppressionAgeTests
{
    public static TheoryData<Variant> HeuristicVariants => [Variant.A, Variant.B, Variant.BPlus, Variant.C, Variant.CPlus];

    [Theory]
    [MemberData(nameof(HeuristicVariants))]
    public void WithoutTheOneSecondCap_SomeScenarioSuppressesAnOldGracePeriod(Variant variant)
    {
        KvmRcuParams broken = Explore.Only(KvmProperty.NoSuppressionOfAnOldGracePeriod) with { MutantNoGracePeriodAgeCap = true };
        foreach (Scenario scenario in Scenario.All)
        {
            TestReport report = Explore.Run(variant, scenario, broken, iterations: 1000);
            if (report.Bug is not null)
            {
                Assert.Contains("past the 4-jiffy limit of min(patience, 1 s)", report.Bug.Message, StringComparison.Ordinal);
                return;
            }
        }

        Assert.Fail($"{variant}: no scenario broke the suppression-age property without the cap.");
    }

    [Theory]
    [MemberData(nameof(HeuristicVariants))]
    public void WithTheCap_NoScenarioSuppressesAnOldGracePeriod(Variant variant)
    {
        foreach (Scenario scenario in Scenario.All)
        {
            TestReport report = Explore.Run(variant, scenario, Explore.Only(KvmProperty.NoSuppressionOfAnOldGracePeriod), iterations: 300);

            Assert.True(report.Bug is null, $"{variant}.{scenario.Name}: {report.Bug?.Summary}");
        }
    }
}
