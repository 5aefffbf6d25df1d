using FsCheck;
using FsCheck.Fluent;
using Verify.Protocols.Srcu;
using Verify.SystematicTesting;
using Xunit;
using SrcuProperty = Verify.Protocols.Srcu.Property;

namespace Protocols.Tests.Srcu;

/// <summary>
/// FsCheck makes small schedules of readers and updaters (no reader, a short one, one sleeping one
/// to three jiffies; a second updater; one to three grace periods; the tick due at boot or not;
/// cleanup; HZ 100, 250 or 1000; each version) and the checker explores each one's interleavings.
/// </summary>
public sealed class GeneratedConfigurationTests
{
    private static readonly Gen<Scenario> Scenarios =
        from reader in Gen.Elements(Enum.GetValues<ReaderKind>())
        from second in Gen.Elements(false, true)
        from tickDue in Gen.Elements(false, true)
        from cleanup in Gen.Elements(false, true)
        from gps in Gen.Choose(1, 3)
        select new Scenario
        {
            Name = "Generated",
            Reader = second ? ReaderKind.None : reader,
            SecondUpdater = second,
            TickDueAtBoot = tickDue,
            // cleanup_srcu_struct() while U2 may still call, or a reader may still be inside, would be
            // the caller's bug, not SRCU's.
            Cleanup = cleanup && !second && reader == ReaderKind.None,
            Gps = gps,
        };

    private static readonly Arbitrary<(Variant, Scenario, SrcuParams)> Configurations = (
        from variant in Gen.Elements(Enum.GetValues<Variant>())
        from scenario in Scenarios
        from hz in Gen.Elements(100, 250, 1000)
        from sleep in Gen.Choose(1, 3)
        from hold in Gen.Choose(0, 4)
        select (variant, scenario, SrcuParams.Minimal with { HZ = hz, ReaderSleepJiffies = sleep, ReaderStatements = hold, MaxTicks = 4 + sleep })).ToArbitrary();

    [Fact]
    public void GracePeriodGuarantee_Holds_InEveryVersion_ForGeneratedSchedules()
    {
        FsChecks.Check(Prop.ForAll(Configurations, c =>
        {
            (Variant variant, Scenario scenario, SrcuParams p) = c;
            TestReport report = Explore.Run(variant, scenario, p with { Properties = [SrcuProperty.GracePeriodGuarantee, SrcuProperty.DelayInRange] }, iterations: 30, seed: 3);
            return report.Bug is null && report.Error is null;
        }), seed: 20_261_206, maxTest: 40);
    }

    [Fact]
    public void EveryCounterexample_OfAGeneratedSchedule_ReplaysToTheSameBug()
    {
        // Explore.Run replays each bug it finds from the trace text and asserts the same bug and no divergence.
        int found = 0;
        FsChecks.Check(Prop.ForAll(Configurations, c =>
        {
            (Variant variant, Scenario scenario, SrcuParams p) = c;
            TestReport report = Explore.Run(variant, scenario, p with { Properties = [SrcuProperty.ExpeditedNoSleep, SrcuProperty.BoundedNoDelay, SrcuProperty.GracePeriodGuarantee], MutantSkipScan2 = true }, iterations: 30, seed: 7);
            found += report.Bug is null ? 0 : 1;
            return report.Error is null;
        }), seed: 20_261_206, maxTest: 40);

        Assert.True(found > 0);
    }
}
