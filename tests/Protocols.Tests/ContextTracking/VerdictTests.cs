using Verify.Protocols.ContextTracking;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.ContextTracking;

/// <summary>
/// The findings the verdict table reports, each checked by the shortest counterexample a
/// breadth-first search finds (replayed from its trace), or by an exhaustive search where it holds.
/// </summary>
public sealed class VerdictTests
{
    [Fact]
    public void RfcV1_DefersToACpuThatEnteredBetweenTheStateReadAndTheOr()
    {
        TestingEngine engine = Explore.Stateful(Variant.RfcV1, Explore.Named("TextPatchSyscall"), Explore.Only(Property.NoStaleText));

        Assert.Contains("P-CT-S1", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("work = atomic_xchg(&ct->work, 0) = 0x0", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("atomic_or(CT_WORK_SYNC, &ct->work): try_cmpxchg succeeds", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void ReviewLoop_TrustsAWorkBitTheEntryAlreadyFlushed()
    {
        TestingEngine engine = Explore.Stateful(Variant.RfcV1ReviewLoop, Explore.Named("TextPatchSyscall"), Explore.Only(Property.NoStaleText));

        Assert.Contains("P-CT-S1", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("ct_work_flush(): arch_context_tracking_work(CT_WORK_SYNC): sync_core()", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("atomic_cmpxchg(&ct->state, 0x22, 0x26) = 0x34", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.RfcV2, "TextPatchNmiFromUser")]
    [InlineData(Variant.RfcV3, "TextPatchNmiFromUser")]
    [InlineData(Variant.V4, "TextPatchIrqFromIdle")]
    public void StateBitProxies_LoseWork_WhenAnNmiOrIrqFromAnEqsExits(Variant variant, string scenario)
    {
        TestingEngine engine = Explore.Stateful(variant, Explore.Named(scenario), Explore.Only(Property.NoLostWork));

        Assert.Contains("P-CT-S3", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("ct_nmi_enter: ct_kernel_enter_state()", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("ct_state_inc_clear_work()", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.RfcV3)]
    [InlineData(Variant.V5)]
    [InlineData(Variant.V6)]
    public void AFirstCmpxchgThatExpectsTheWordAsRead_DefersToACpuInTheKernel(Variant variant)
    {
        TestingEngine engine = Explore.Stateful(variant, Explore.Named("TextPatchKernel"), Explore.Only(Property.NoStaleText));

        Assert.Contains("P-CT-S1", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("atomic_try_cmpxchg(&ct->state, 0x30, 0x34) succeeds", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void V6_WithTheSetterExpectingTheCpuNotWatching_HoldsInTheKernel()
    {
        TestReport report = Explore.Stateful(Variant.V6, Explore.Named("TextPatchKernel"), Explore.Only(Property.NoStaleText) with { FixExpectNotWatching = true }, "stateful-dfs").TestReport;

        ModelRuns.AssertExhaustedClean(report);
    }

    [Theory]
    [InlineData(Variant.V5Intended, "TextPatchIdle", Property.NoNoise)]
    [InlineData(Variant.V6Intended, "TextPatchIdle", Property.NoNoise)]
    [InlineData(Variant.V6Intended, "TextPatchIdle", Property.NoStaleText)]
    [InlineData(Variant.V6Intended, "TextPatchIrqFromIdle", Property.NoStaleText)]
    [InlineData(Variant.V6Intended, "TextPatchNmiFromIdle", Property.NoStaleText)]
    [InlineData(Variant.V6Intended, "TextPatchGuest", Property.NoStaleText)]
    [InlineData(Variant.V6Intended, "TextPatchGuest", Property.NoNoise)]
    [InlineData(Variant.V6Intended, "TextPatchKernel", Property.NoStaleText)]
    [InlineData(Variant.V5Intended, "TextPatchSyscall", Property.NoStaleText)]
    public void TheIntendedSetter_DefersToIdleAndGuestSafely(Variant variant, string scenario, Property property)
    {
        // Idle and a guest are extended quiescent states with CT_RCU_WATCHING clear: the fixed setter defers, and the entry (ct_irq_enter, ct_nmi_enter, the VM exit) flushes.
        TestReport report = Explore.Stateful(variant, Explore.Named(scenario), Explore.Only(property)).TestReport;

        ModelRuns.AssertExhaustedClean(report);
    }

    [Theory]
    [InlineData(Variant.NoDeferral)]
    [InlineData(Variant.V5Intended)]
    public void WithIpis_TwoPageTableFreesNeverWalkATableWhoseFlushReturned(Variant variant)
    {
        // A walk through a table another sender has unlinked but not yet flushed is harmless: the IPI flushes the cache before the free.
        TestReport report = Explore.Run(variant, Explore.Named("PageTableFreeSyscallTwo"), Explore.Only(Property.NoStaleTranslation), iterations: 300, seed: 3);

        Assert.Null(report.Bug);
    }

    [Theory]
    [InlineData("TextPatchIrqFromIdle", "ct_nmi_enter: ct_kernel_enter_state(): seq = atomic_add_return(0x10, &ct->state) = 0x31")]
    [InlineData("TextPatchGuest", "guest_state_exit_irqoff: ct_kernel_enter_state(): seq = atomic_add_return(0xd, &ct->state) = 0x30")]
    public void IdleAndGuest_AreQuiescent_AndTheirEntrySetsRcuWatching(string scenario, string entry)
    {
        // Idle boots at 0x21 and a guest at 0x23 (CT_RCU_WATCHING clear); the entry makes RCU watch, and the transcribed setter then defers to the CPU in the kernel.
        TestingEngine engine = Explore.Stateful(Variant.V6, Explore.Named(scenario), Explore.Only(Property.NoStaleText));

        Assert.Contains("P-CT-S1", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains(entry, engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.RfcV1)]
    [InlineData(Variant.RfcV2)]
    public void BeforeRfcV3_ContextTrackingKeyIsPatchedWithoutAnIpi(Variant variant)
    {
        TestingEngine engine = Explore.Stateful(variant, Explore.Named("NoinstrPatchSyscall"), Explore.Only(Property.DangerZone));

        Assert.Contains("P-CT-S4", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("text_poke(context_tracking_key, INT3)", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.RfcV3)]
    [InlineData(Variant.V6)]
    public void FromRfcV3_NoinstrSitesForceTheIpi(Variant variant)
    {
        TestReport report = Explore.Stateful(variant, Explore.Named("NoinstrPatchSyscall"), Explore.Only(Property.DangerZone), "stateful-dfs").TestReport;

        ModelRuns.AssertExhaustedClean(report);
    }

    [Fact]
    public void V5_StillSendsKernelRangeFlushesToACpuInUserSpace()
    {
        TestingEngine engine = Explore.Stateful(Variant.V5, Explore.Named("RangeFlushUser"), Explore.Only(Property.NoNoise));

        Assert.Contains("received a do_kernel_range_flush IPI", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.V6)]
    [InlineData(Variant.V6Intended)]
    public void V6_ASpeculativeWalkBetweenTheEntryFlushAndTheFlag_CachesTheOldPte(Variant variant)
    {
        // On the kernel CR3 with kernel_cr3_loaded still 0, the hardware may fill the TLB; the sender reads the flag as 0 and skips the IPI.
        TestingEngine engine = Explore.Stateful(variant, Explore.Named("RangeFlushSyscall"), Explore.Only(Property.NoStaleTranslation));

        Assert.Contains("P-CT-S5: cpu0 touched vmalloc 0x100 through pfn 1 (a TLB entry)", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("after the entry flush, before kernel_cr3_loaded = 1: speculative page walk of 0x100", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("READ_ONCE(per_cpu(kernel_cr3_loaded, 0)) = 0", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("set_pte(pfn 3)", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RangeFlushSyscall")]
    [InlineData("RangeFlushSyscallTso")]
    [InlineData("RangeFlushSyscallLkmm")]
    [InlineData("PageTableFreeSyscall")]
    public void V6_WithTheFlagSetWheneverTheKernelCr3IsLoaded_LeavesNoStaleTranslation_InEachMemoryMode(string scenario)
    {
        // Only on the modelled paths: the entry flush drops every cached translation (no walk between the CR3 switch and it), the
        // flag's two accesses on the user CR3 are assumed mapped, and no NMI's paranoid_entry switches CR3 itself. With PCID and a
        // NOFLUSH switch, a walk before the entry flush could go through a table freed while the CPU was in user space.
        TestReport report = Explore.Stateful(Variant.V6, Explore.Named(scenario), Explore.Only(Property.NoStaleTranslation) with { FixKernelCr3LoadedOrder = true }, "stateful-dfs").TestReport;

        ModelRuns.AssertExhaustedClean(report);
    }

    [Fact]
    public void V6_LeavesACpuInUserSpaceAlone_ForKernelRangeFlushes()
    {
        TestReport report = Explore.Stateful(Variant.V6, Explore.Named("RangeFlushUser"), Explore.Only(Property.NoNoise), "stateful-dfs").TestReport;

        ModelRuns.AssertExhaustedClean(report);
    }

    [Theory]
    [InlineData("TextPatchSyscall", Property.NoStaleText)]
    [InlineData("NoinstrPatchNmiFromUser", Property.DangerZone)]
    [InlineData("RangeFlushIrqFromIdle", Property.NoStaleTranslation)]
    [InlineData("TextPatchNmiFromUserTwo", Property.NoLostWork)]
    public void NoDeferral_Holds_InEveryScheduleOfTheMinimalConfiguration(string scenario, Property property)
    {
        TestReport report = Explore.Stateful(Variant.NoDeferral, Explore.Named(scenario), Explore.Only(property), "stateful-dfs").TestReport;

        ModelRuns.AssertExhaustedClean(report);
    }

    [Theory]
    [InlineData(Variant.RfcV1)]
    [InlineData(Variant.RfcV2)]
    [InlineData(Variant.V4)]
    public void TlbDeferral_IsUnsafe_WhenPageTablesAreFreed(Variant variant)
    {
        TestingEngine engine = Explore.Stateful(variant, Explore.Named("PageTableFreeUser"), Explore.Only(Property.NoStaleTranslation));

        Assert.Contains("walked the kernel page tables through its cached page-table page", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("CT_WORK_TLBI) returns true: IPI deferred", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("pte_free_kernel(pfn 2)", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.RfcV2, "PageTableFreeIrqFromIdle", "atomic_try_cmpxchg(&ct->state, 0x41, 0x49) succeeds")]
    [InlineData(Variant.V4, "PageTableFreeNmiFromIdle", "atomic_try_cmpxchg(&ct->state, 0x41, 0x49) succeeds")]
    [InlineData(Variant.RfcV3, "PageTableFreeKernel", "atomic_try_cmpxchg(&ct->state, 0x30, 0x38) succeeds")]
    [InlineData(Variant.RfcV3, "PageTableFreeGuest", "atomic_try_cmpxchg(&ct->state, 0x43, 0x4b) succeeds")]
    public void TlbDeferral_IsUnsafe_WhenPageTablesAreFreed_WhereverTheCpuRests(Variant variant, string scenario, string deferral)
    {
        // Before v6 (no PTI modelled) the kernel's tables are reachable wherever the CPU runs: the one walk comes where the
        // activity rests (idle after the interrupt's return, a kernel wait, the guest), after the setter deferred the flush there.
        TestingEngine engine = Explore.Stateful(variant, Explore.Named(scenario), Explore.Only(Property.NoStaleTranslation));

        Assert.Contains("walked the kernel page tables through its cached page-table page pfn 2", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains(deferral, engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("CT_WORK_TLBI) returns true: IPI deferred", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("pte_free_kernel(pfn 2)", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void TheGuestsRestingWalk_IsTheHostCodeAroundTheVmExitAndEntry()
    {
        // The host's page tables are not walked in VMX non-root mode; the walk stands for the host code around the VM exit and entry.
        // The monitor stops a violating run before the walk's log line; the same schedule replayed without monitors logs it.
        Scenario scenario = Explore.Named("PageTableFreeGuest");
        TestingEngine found = Explore.Stateful(Variant.RfcV3, scenario, Explore.Only(Property.NoStaleTranslation));
        TestingEngine replay = TestingEngine.Create(global::Verify.Configuration.Create().WithReproducibleTrace(found.ReproducibleTrace), r => ContextTrackingModel.Run(r, Variant.RfcV3, scenario, CtParams.Minimal with { Properties = [] }));
        replay.Run();

        Assert.Null(replay.TestReport.Bug);
        Assert.Contains("cpu0: host code around the guest's VM exit and entry (host page tables; with VPID the VM exit keeps the host's TLB entries): speculative page walk of 0x100 through the cached page table pfn 2", replay.ReadableTrace, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.RfcV2, "PageTableFreeKernel")]
    [InlineData(Variant.RfcV2, "PageTableFreeNmiFromKernel")]
    [InlineData(Variant.V4, "PageTableFreeKernel")]
    [InlineData(Variant.V4, "PageTableFreeNmiFromKernel")]
    [InlineData(Variant.RfcV1, "PageTableFreeIdle")]
    [InlineData(Variant.RfcV1, "PageTableFreeGuest")]
    public void TlbDeferral_LeavesNoStaleTranslation_WhereTheSetterDoesNotDefer(Variant variant, string scenario)
    {
        // The walk comes where the activity rests, but these setters IPI a CPU resting there: RFC v2 and v4 never defer to the
        // kernel, RFC v1 defers only to user space, so the flush precedes the free.
        TestReport report = Explore.Stateful(variant, Explore.Named(scenario), Explore.Only(Property.NoStaleTranslation)).TestReport;

        ModelRuns.AssertExhaustedClean(report);
    }

    [Theory]
    [InlineData(Variant.NoDeferral)]
    [InlineData(Variant.V5)]
    [InlineData(Variant.V6)]
    public void FreeingPageTables_IsSafe_WithAnIpiOrWithPtiInUserSpace(Variant variant)
    {
        // v6 only while cpu0 stays in user space: its user CR3 maps no vmalloc page tables (the next test has it leave).
        TestReport report = Explore.Stateful(variant, Explore.Named("PageTableFreeUser"), Explore.Only(Property.NoStaleTranslation), "stateful-dfs").TestReport;

        ModelRuns.AssertExhaustedClean(report);
    }

    [Theory]
    [InlineData(Variant.V6)]
    [InlineData(Variant.V6Intended)]
    public void V6_FreeingPageTables_IsUnsafe_OnceTheCpuRunsOnTheKernelCr3WithTheFlagClear(Variant variant)
    {
        // A vmap page-table page freed after a deferrable flush (no caller does; the hazard the design's warning names).
        TestingEngine engine = Explore.Stateful(variant, Explore.Named("PageTableFreeSyscall"), Explore.Only(Property.NoStaleTranslation));

        // The walk is the step the monitor stops in: the exit has cleared the flag, the sender read it as 0 and freed the table.
        Assert.Contains("P-CT-S5: cpu0 walked the kernel page tables through its cached page-table page pfn 2", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("syscall_exit_to_user_mode: kernel_cr3_loaded = 0", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("READ_ONCE(per_cpu(kernel_cr3_loaded, 0)) = 0", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("pte_free_kernel(pfn 2)", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.DoesNotContain("SWITCH_TO_USER_CR3", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void RfcV1_PaysAnExtraAtomicOnEveryEntry()
    {
        TestingEngine engine = Explore.Stateful(Variant.RfcV1, Explore.Named("TextPatchSyscall"), Explore.Only(Property.EntryAtomics));

        Assert.Contains("made 2 atomic read-modify-writes", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
    }
}
