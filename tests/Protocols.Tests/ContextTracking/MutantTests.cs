using Verify.Protocols.ContextTracking;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.ContextTracking;

/// <summary>
/// Each safety property is falsifiable in a configuration where the verdict table shows it holding:
/// a deliberately broken or weakened kernel makes its monitor fire (the shortest counterexample,
/// replayed), and the same configuration without the mutant is clean in every schedule. The two
/// ordering mutants hold under SC and fail only in a weak memory mode.
/// </summary>
public sealed class MutantTests
{
    [Theory]
    [InlineData(Property.NoStaleText, "P-CT-S1")]
    [InlineData(Property.NoLostWork, "P-CT-S3")]
    public void EntryThatDropsItsWork_IsCaught(Property property, string tag)
    {
        var mutant = Explore.Only(property) with { MutantEntryDropsWork = true };

        TestingEngine engine = Explore.Stateful(Variant.RfcV2, Explore.Named("TextPatchSyscall"), mutant);

        Assert.Contains(tag, engine.TestReport.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RelaxedSetterCmpxchg_BreaksOrdering_UnderTheLkmmOnly()
    {
        var mutant = Explore.Only(Property.Ordering) with { MutantRelaxedSetterCmpxchg = true };

        TestingEngine lkmm = Explore.Stateful(Variant.RfcV2, Explore.Named("TextPatchSyscallLkmm"), mutant);
        TestReport sc = Explore.Stateful(Variant.RfcV2, Explore.Named("TextPatchSyscall"), mutant, "stateful-dfs").TestReport;
        TestReport tso = Explore.Stateful(Variant.RfcV2, Explore.Named("TextPatchSyscallTso"), mutant, "stateful-dfs").TestReport;

        Assert.Contains("P-CT-S2", lkmm.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.True(sc.Bug is null && sc.Exhausted);
        Assert.True(tso.Bug is null && tso.Exhausted);
    }

    [Fact]
    public void NoForcedIpiForNoinstrSites_IsCaught()
    {
        var mutant = Explore.Only(Property.DangerZone) with { MutantNoForcedIpiForNoinstr = true };

        TestingEngine engine = Explore.Stateful(Variant.V4, Explore.Named("NoinstrPatchSyscall"), mutant);

        Assert.Contains("P-CT-S4", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeferrableFlushWithoutItsBarrier_LeavesAStaleTranslation_UnderTsoButNotSc()
    {
        // With the flag set whenever the kernel CR3 is loaded, where the property holds without the mutant in every mode on the
        // modelled paths (no NOFLUSH CR3 write, no paranoid NMI entry on the user CR3: the README's limits of the fixed order).
        var mutant = Explore.Only(Property.NoStaleTranslation) with { MutantNoMbInDeferrableFlush = true, FixKernelCr3LoadedOrder = true };

        TestingEngine tso = Explore.Stateful(Variant.V6, Explore.Named("RangeFlushSyscallTso"), mutant);
        TestReport sc = Explore.Stateful(Variant.V6, Explore.Named("RangeFlushSyscall"), mutant, "stateful-dfs").TestReport;

        Assert.Contains("P-CT-S5", tso.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("store buffer", tso.ReadableTrace, StringComparison.Ordinal);
        Assert.True(sc.Bug is null && sc.Exhausted);
    }

    [Theory]
    [InlineData(Variant.RfcV2, "TextPatchSyscall", Property.NoStaleText)]
    [InlineData(Variant.RfcV2, "TextPatchSyscall", Property.NoLostWork)]
    [InlineData(Variant.RfcV2, "TextPatchSyscallLkmm", Property.Ordering)]
    [InlineData(Variant.V4, "NoinstrPatchSyscall", Property.DangerZone)]
    public void WithoutTheMutant_TheSameConfigurationHolds(Variant variant, string scenario, Property property)
    {
        TestReport report = Explore.Stateful(variant, Explore.Named(scenario), Explore.Only(property), "stateful-dfs").TestReport;

        ModelRuns.AssertExhaustedClean(report);
    }
}
