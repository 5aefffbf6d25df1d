using Verify;
using Verify.Protocols.VgicLpi;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.VgicLpi;

/// <summary>
/// The findings the verdict table reports, each checked by a campaign of the verdicts' budget (its
/// bug replayed from its trace) or, where the search is small, by the shortest counterexample a
/// breadth-first search finds; and the versions that fixed each one, holding in the same budget.
/// </summary>
public sealed class VerdictTests
{
    [Fact]
    public void V6_7_CachedInjection_TouchesAnLpiThatDiscardFreed()
    {
        TestingEngine engine = Explore.Stateful(Variant.V6_7, Explore.Named("CachedInjectVsDiscard"), Explore.Only(Property.NoUseAfterFree), "stateful-bfs");

        Assert.Contains("P-VG-S1: BUG: KASAN: slab-use-after-free on vgic_irq#2->irq_lock: Read by task injector", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("Freed by task its_cmd", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("irq = __vgic_its_check_cache(dist, db, 0, 0) = vgic_irq#2", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("kfree(vgic_irq#2)", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.V6_8)]
    [InlineData(Variant.V6_9)]
    [InlineData(Variant.V6_10)]
    [InlineData(Variant.V7_2)]
    public void LaterVersions_HoldTheCachedLookupsReference(Variant variant)
    {
        TestReport report = Explore.Run(variant, Explore.Named("CachedInjectVsDiscard"), Explore.Only(Property.NoUseAfterFree));

        Assert.Null(report.Bug);
    }

    [Fact]
    public void V6_9_ReleaseErasesANewerLpiAtTheSameIntid()
    {
        TestingEngine engine = Explore.Stateful(Variant.V6_9, Explore.Named("PruneVsMapti"), Explore.Only(Property.SlotIntegrity), "stateful-bfs");

        Assert.Contains("P-VG-S3: the release of vgic_irq#", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("a newer object at the same INTID", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("vgic_try_get_irq_kref(vgic_irq#2) = False", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.V6_9, "PruneVsDiscard")]
    [InlineData(Variant.V6_10, "PruneVsRdistDisable")]
    public void UpToV6_10_TheLastPutUnderApListLockTakesXaLock(Variant variant, string scenario)
    {
        TestReport report = Explore.Run(variant, Explore.Named(scenario), Explore.Only(Property.LockClasses));

        Assert.Contains("P-VG-S5: BUG: Invalid wait context: ", report.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains(" takes lpi_xa.xa_lock", report.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("while holding vcpu0->ap_list_lock (raw_spinlock_t)", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.V6_17)]
    [InlineData(Variant.V7_2)]
    public void NoreleaseVersions_ReleaseUnderXaLockWithInterruptsStillOff(Variant variant)
    {
        TestReport report = Explore.Run(variant, Explore.Named("PruneVsDiscard"), Explore.Only(Property.LockClasses));

        Assert.Contains("P-VG-S5: BUG: sleeping function called from invalid context at spin_lock", report.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("vcpu0 on cpu", report.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("irqs_disabled=1", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.V6_17)]
    [InlineData(Variant.V7_2)]
    public void NoreleaseVersions_WithoutPreemptRt_HoldS5InThePrune(Variant variant)
    {
        TestReport report = Explore.Run(variant, Explore.Named("PruneVsDiscard"), Explore.Only(Property.LockClasses) with { PreemptRt = false });

        Assert.Null(report.Bug);
    }

    [Theory]
    [InlineData(Variant.V6_10)]
    [InlineData(Variant.V6_17)]
    [InlineData(Variant.V7_2)]
    public void FromV6_10_TheErrorPathsXaReleaseTakesTheXaLockItHolds(Variant variant)
    {
        TestReport report = Explore.Run(variant, Explore.Named("PruneVsMaptiNoMem"), Explore.Only(Property.LockClasses), iterations: 5000);

        Assert.Contains("WARNING: possible recursive locking detected: its_cmd takes lpi_xa.xa_lock, which it already holds.", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.V6_7)]
    [InlineData(Variant.V6_10)]
    [InlineData(Variant.V7_2)]
    public void SlowPathCachesATranslationThatTheLpiDisableRemoved(Variant variant)
    {
        TestReport report = Explore.Run(variant, Explore.Named("SlowInjectVsRdistDisable"), Explore.Only(Property.CacheCoherence));

        Assert.Contains("whose EnableLPIs a GICR_CTLR write had cleared before the lookup began", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void V6_9V1_ReturnsFromVgicAddLpiWithLpiListLockHeld()
    {
        TestReport report = Explore.Run(Variant.V6_9V1, Explore.Named("PruneVsMaptiNoMem"), Explore.Only(Property.LockClasses), iterations: 3000);

        Assert.Contains("P-VG-S5: WARNING: lock held when returning to user space! its_cmd", report.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("with lpi_list_lock held", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void V6_9_UnlocksOnTheSameErrorPath()
    {
        TestReport report = Explore.Run(Variant.V6_9, Explore.Named("PruneVsMaptiNoMem"), Explore.Only(Property.LockClasses), iterations: 3000);

        Assert.Null(report.Bug);
    }

    [Fact]
    public void V6_17_LeaksTheLpiThatMaptiOverwroteWhilePendingRelease()
    {
        TestingEngine engine = Explore.Sample(Variant.V6_17, Explore.Named("PruneVsMapti"), Explore.Only(Property.NoLeak));

        Assert.Equal(BugKind.Liveness, engine.TestReport.Bug?.Kind);
        Assert.Contains("->pending_release = true", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void V7_2_EvictsTheDeadLpiItself()
    {
        Scenario s = Explore.Named("PruneVsMapti");
        Assert.Null(Explore.Run(Variant.V7_2, s, Explore.Only(Property.NoLeak)).Bug);
        Assert.Null(Explore.Run(Variant.V7_2, s, Explore.Only(Property.SlotIntegrity)).Bug);
    }

    [Fact]
    public void SeedV2_WaitsForAGracePeriodInTheInjectionPath()
    {
        TestReport report = Explore.Run(Variant.SeedV2, Explore.Named("CachedVsSlowInject"), Explore.Only(Property.InjectionNeverWaitsForGp));

        Assert.Contains("P-VG-L1: injector2 waits for an RCU grace period", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeedV2_LeaksTheEntryOfAFailedInsertion()
    {
        TestingEngine engine = Explore.Sample(Variant.SeedV2, Explore.Named("SlowVsSlowInject"), Explore.Only(Property.NoLeak));

        Assert.Equal(BugKind.Liveness, engine.TestReport.Bug?.Kind);
        Assert.Contains("event 0 already cached", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.V6_10)]
    [InlineData(Variant.V7_2)]
    public void PerItsCache_InvalidatedTwiceAtOnce_DropsTheCachesReferenceTwice(Variant variant)
    {
        TestingEngine engine = Explore.Stateful(variant, Explore.Named("RdistDisableVsDiscard"), Explore.Only(Property.NoGetFromZero), "stateful-bfs");

        Assert.Contains("P-VG-S2: WARNING: at lib/refcount.c refcount_warn_saturate: refcount_t: underflow", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("xa_for_each(&its->translation_cache): 0 -> vgic_irq#1", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.V6_7, "SyncPendingVsDiscard")]
    [InlineData(Variant.V6_8, "MovallVsPrune")]
    public void BeforeV6_9_ACopiedIntidThatIsGone_IsDereferenced(Variant variant, string scenario)
    {
        TestReport report = Explore.Run(variant, Explore.Named(scenario), Explore.Only(Property.NullTolerant));

        Assert.Contains("BUG: kernel NULL pointer dereference: irq->irq_lock with irq NULL", report.Bug?.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The same release against INVALL, whose vgic_its_invall() has skipped a NULL lookup in every
    /// version: where MOVALL oopses (v6.7, v6.8, the February postings), INVALL holds in the same budget.
    /// </summary>
    [Theory]
    [InlineData(Variant.V6_7)]
    [InlineData(Variant.V6_8)]
    [InlineData(Variant.V6_9V1)]
    [InlineData(Variant.SeedV2)]
    public void WhereMovallOopses_InvallSkipsTheNullLookup(Variant variant)
    {
        TestReport movall = Explore.Run(variant, Explore.Named("MovallVsPrune"), Explore.Only(Property.NullTolerant));
        TestReport invall = Explore.Run(variant, Explore.Named("InvallVsPrune"), Explore.Only(Property.NullTolerant));

        Assert.Contains("BUG: kernel NULL pointer dereference", movall.Bug?.Message, StringComparison.Ordinal);
        Assert.Null(invall.Bug);
    }

    /// <summary>
    /// INVALL disabling a pending LPI (the configuration byte cleared by the guest): the prune, which
    /// keeps the LPI while it is pending and enabled, drops it only after INVALL's
    /// update_lpi_config(), and on V6_10 its last put under ap_list_lock takes xa_lock.
    /// </summary>
    [Fact]
    public void V6_10_InvallDisablesThePendingLpi_ThenThePrunesLastPutTakesXaLock()
    {
        TestingEngine engine = Explore.Sample(Variant.V6_10, Explore.Named("InvallDisableVsPrune"), Explore.Only(Property.LockClasses));

        Assert.Contains("P-VG-S5: BUG: Invalid wait context: vcpu0 takes lpi_xa.xa_lock", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("while holding vcpu0->ap_list_lock", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("vgic_irq#1->enabled = false", engine.ReadableTrace, StringComparison.Ordinal);
    }

    /// <summary>Without INVALL's disable the same prune keeps the pending LPI: no release, so no report in the same budget.</summary>
    [Fact]
    public void V6_10_WithTheLpiEnabledInTheTable_ThePruneKeepsIt()
    {
        Scenario enabled = Explore.Named("InvallDisableVsPrune") with { PropbaseDisabled = false };

        TestReport report = Explore.Run(Variant.V6_10, enabled, Explore.Only(Property.LockClasses));

        Assert.Null(report.Bug);
    }
}
