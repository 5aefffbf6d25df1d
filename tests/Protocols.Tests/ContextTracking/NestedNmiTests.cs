using Verify.Protocols.ContextTracking;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.ContextTracking;

/// <summary>
/// An NMI nested in an entry path (the scenarios <c>TextPatchNmiIn...Entry</c>): the shortest
/// counterexamples of the setter expecting the CPU not watching, the same entries without the NMI,
/// and the control, each settled by a stateful search.
/// </summary>
public sealed class NestedNmiTests
{
    [Theory]
    [InlineData(Variant.V5Intended, "TextPatchNmiInSyscallEntry")]
    [InlineData(Variant.V6Intended, "TextPatchNmiInSyscallEntry")]
    [InlineData(Variant.V6Intended, "TextPatchNmiInIrqEntry")]
    [InlineData(Variant.V6Intended, "TextPatchNmiInIrqFromIdleEntry")]
    public void TheIntendedSetter_LetsAnNmiBetweenTheEntryAtomicAndItsFlushRunStaleText(Variant variant, string scenario)
    {
        TestingEngine engine = Explore.Stateful(variant, Explore.Named(scenario), Explore.Only(Property.NoStaleText));

        Assert.Contains("P-CT-S1", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("returns true: IPI deferred", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("RCU watching", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("WRITE_ONCE(ct->nmi_nesting, 2)", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.DoesNotContain("ct_work_flush()", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.V6Intended, "TextPatchSyscall")]
    [InlineData(Variant.V6Intended, "TextPatchIrqFromUser")]
    [InlineData(Variant.V6Intended, "TextPatchIrqFromIdle")]
    [InlineData(Variant.NoDeferral, "TextPatchNmiInSyscallEntry")]
    [InlineData(Variant.NoDeferral, "TextPatchNmiInIrqEntry")]
    [InlineData(Variant.NoDeferral, "TextPatchNmiInIrqFromIdleEntry")]
    public void WithoutTheNestedNmiOrWithoutDeferral_NoStaleTextRuns(Variant variant, string scenario)
    {
        TestReport report = Explore.Stateful(variant, Explore.Named(scenario), Explore.Only(Property.NoStaleText), "stateful-dfs").TestReport;

        ModelRuns.AssertExhaustedClean(report);
    }

    [Theory]
    [InlineData(Property.DangerZone)]
    [InlineData(Property.NoLostWork)]
    [InlineData(Property.EntryAtomics)]
    public void TheNmiHandlersSites_AreJudgedOutsideTheDangerZone_AndTheNestingLosesNoWork(Property property)
    {
        // The handler's stale site is an ordinary (instrumentable) site: P-CT-S1 judges it, P-CT-S4 does not;
        // ct_nmi_exit() with ct_nmi_nesting() != 1 leaves the word alone, and an NMI before the atomic flushes what it clears.
        TestReport report = Explore.Stateful(Variant.V6Intended, Explore.Named("TextPatchNmiInSyscallEntry"), Explore.Only(property), "stateful-dfs").TestReport;

        ModelRuns.AssertExhaustedClean(report);
    }

    [Fact]
    public void AnNmiBeforeTheAtomic_MakesItsOwnTransition_WhichRfcV2DefersToAndItsExitClears()
    {
        // RCU not watching: ct_nmi_enter() makes its own ct_kernel_enter_state(CT_RCU_WATCHING), which leaves
        // CT_STATE_USER in the word; v2's setter defers to it, and ct_nmi_exit() (nesting 1) clears the bit unflushed.
        TestingEngine engine = Explore.Stateful(Variant.RfcV2, Explore.Named("TextPatchNmiInSyscallEntry"), Explore.Only(Property.NoLostWork));

        Assert.Contains("P-CT-S3", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("RCU not watching", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("exc_nmi: ct_nmi_enter: ct_kernel_enter_state()", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("ct_nmi_nesting() == 1, WRITE_ONCE(ct->nmi_nesting, 0)", engine.ReadableTrace, StringComparison.Ordinal);
    }
}
