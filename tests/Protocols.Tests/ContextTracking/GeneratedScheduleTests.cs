using FsCheck;
using FsCheck.Fluent;
using Verify.Protocols.ContextTracking;
using Verify.SystematicTesting;
using Xunit;
using CtProperty = Verify.Protocols.ContextTracking.Property;

namespace Protocols.Tests.ContextTracking;

/// <summary>
/// FsCheck makes schedules of work: the isolated CPU's entries and exits (syscalls, interrupts,
/// NMIs, exceptions from user space, one after another) and a housekeeping CPU's text patches,
/// noinstr patches and vunmaps; the checker explores each one's interleavings. A correct version
/// (no deferral; v6 with its setter expecting the CPU outside the kernel) never runs stale text or
/// uses a stale translation, and every counterexample of the others replays.
/// </summary>
public sealed class GeneratedScheduleTests
{
    private static readonly Gen<Scenario> Schedules =
        from script in Gen.Elements(Scenario.FromUser.ToArray()).ListOf().Where(l => l.Count is >= 1 and <= 3).Select(l => l.ToList())
        from ops in Gen.Elements(Sender.TextPatch, Sender.NoinstrPatch, Sender.RangeFlush).ListOf().Where(l => l.Count is >= 1 and <= 3).Select(l => l.ToList())
        select new Scenario { Name = "Generated", Activity = Activity.User, Sender = Sender.TextPatch, Script = script, Operations = ops };

    private static readonly IReadOnlyList<CtProperty> Safety =
        [CtProperty.NoStaleText, CtProperty.DangerZone, CtProperty.NoLostWork, CtProperty.NoStaleTranslation, CtProperty.Ordering];

    [Fact]
    public void ACorrectVersion_NeverRunsStaleTextOrUsesAStaleTranslation()
    {
        FsChecks.Check(Prop.ForAll(Schedules.ToArbitrary(), s =>
        {
            TestReport control = Explore.Run(Variant.NoDeferral, s, CtParams.Minimal with { Properties = Safety }, iterations: 200, seed: 5);
            TestReport fixedV6 = Explore.Run(Variant.V6, s, CtParams.Minimal with { Properties = Safety, FixExpectNotWatching = true }, iterations: 200, seed: 5);
            return control.Bug is null && fixedV6.Bug is null;
        }), seed: 20_261_206, maxTest: 30);
    }

    [Fact]
    public void EveryCounterexample_OfAGeneratedSchedule_ReplaysToTheSameBug()
    {
        // Explore.Run replays each bug it finds from the trace text and asserts the same bug and no divergence.
        int found = 0;
        FsChecks.Check(Prop.ForAll((from v in Gen.Elements(Enum.GetValues<Variant>()) from s in Schedules select (v, s)).ToArbitrary(), c =>
        {
            TestReport report = Explore.Run(c.v, c.s, CtParams.Minimal with { Properties = Safety }, iterations: 100, seed: 7);
            found += report.Bug is null ? 0 : 1;
            return report.Error is null;
        }), seed: 20_261_206, maxTest: 40);

        Assert.True(found > 0);
    }
}
