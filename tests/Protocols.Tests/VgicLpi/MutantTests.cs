using Verify.Actors;
using Verify.Kernel.Machine;
using Verify.Protocols.VgicLpi;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.VgicLpi;

/// <summary>
/// Every property is falsifiable in the configuration its verdict cells use: a deliberately broken
/// kernel (a <c>Mutant...</c> switch) on a version and scenario where the property holds makes its
/// monitor fire, and the same budget finds nothing without the mutant.
/// </summary>
public sealed class MutantTests
{
    public static TheoryData<string, Variant, string, Property, string> Mutants() => new()
    {
        { nameof(VgicLpiParams.MutantPutKfree), Variant.V6_10, "CachedInjectVsDiscard", Property.NoUseAfterFree, "P-VG-S1: BUG: KASAN: slab-use-after-free" },
        { nameof(VgicLpiParams.MutantCacheGetWithoutTryGet), Variant.V6_10, "CachedInjectVsDiscard", Property.NoGetFromZero, "P-VG-S2: WARNING: at lib/refcount.c refcount_warn_saturate: refcount_t: addition on 0" },
        { nameof(VgicLpiParams.MutantReleaseSkipsLpiCount), Variant.V7_2, "CachedInjectVsDiscard", Property.SlotIntegrity, "P-VG-S3: lpi_count is 1 but 0 LPIs are live" },
        { nameof(VgicLpiParams.MutantReleaseLeaks), Variant.V7_2, "CachedInjectVsDiscard", Property.NoLeak, "Monitor NoLeak detected a liveness bug" },
        { nameof(VgicLpiParams.MutantPutUnderRawLocks), Variant.V6_17, "CachedInjectVsRdistDisable", Property.LockClasses, "P-VG-S5: BUG: Invalid wait context" },
        { nameof(VgicLpiParams.MutantDiscardKeepsCache), Variant.V7_2, "CachedInjectVsDiscard", Property.CacheCoherence, "P-VG-S6: injector's cache lookup of event 0 returned vgic_irq#1" },
        { nameof(VgicLpiParams.MutantDiscardKeepsCache), Variant.V7_2, "TwoEntryCacheVsDiscard", Property.CacheCoherence, "P-VG-S6: injector's cache lookup of event 0 returned vgic_irq#1, but the ITS command that completed before the lookup began left the event translating to nothing" },
        { nameof(VgicLpiParams.MutantDiscardKeepsCache), Variant.V7_2, "CachedInjectVsDiscardMapti", Property.CacheCoherence, "P-VG-S6: injector's cache lookup of event 0 returned vgic_irq#1, but the ITS command that completed before the lookup began left the event translating to" },
        { nameof(VgicLpiParams.MutantNoNullTest), Variant.V7_2, "SyncPendingVsDiscard", Property.NullTolerant, "BUG: kernel NULL pointer dereference: irq->irq_lock" },
        { nameof(VgicLpiParams.MutantCacheWaitsForGp), Variant.V7_2, "SlowInjectVsDiscard", Property.InjectionNeverWaitsForGp, "P-VG-L1: injector waits for an RCU grace period" },
        { nameof(VgicLpiParams.MutantNoNullTest), Variant.V7_2, "InvallVsPrune", Property.NullTolerant, "BUG: kernel NULL pointer dereference: irq->intid with irq NULL, by task its_cmd" },
        { nameof(VgicLpiParams.MutantQueueUnderIrqLock), Variant.V7_2, "CachedInjectVsPrune", Property.LockClasses, "P-VG-S5: WARNING: possible circular locking dependency detected" },
        { nameof(VgicLpiParams.MutantQueueUnderIrqLock), Variant.V6_17, "CachedInjectVsPrune", Property.LockClasses, "P-VG-S5: WARNING: possible circular locking dependency detected" },
        { nameof(VgicLpiParams.MutantInvallPutUnderIrqLock), Variant.V6_17, "CachedInjectVsInvall", Property.LockClasses, "P-VG-S5: BUG: Invalid wait context: its_cmd takes lpi_xa.xa_lock" },
        { nameof(VgicLpiParams.MutantInvallPutUnderIrqLock), Variant.V7_2, "InvallrVsDiscard", Property.LockClasses, "P-VG-S5: BUG: Invalid wait context: vcpu0 takes lpi_xa.xa_lock (&xa->xa_lock, a sleeping lock here) while holding vgic_irq#1->irq_lock" },
        { nameof(VgicLpiParams.MutantInvallPutUnderIrqLock), Variant.V7_2, "InvallVsRdistDisable", Property.LockClasses, "P-VG-S5: BUG: Invalid wait context: its_cmd takes lpi_xa.xa_lock (&xa->xa_lock, a sleeping lock here) while holding vgic_irq#1->irq_lock" },
    };

    /// <summary>
    /// INVALL's last put in <c>V6_10.InvallVsPrune</c>: that cell's S5 fails on the prune's own put
    /// (vcpu0 takes xa_lock under ap_list_lock), which a sampling campaign finds first, so the
    /// lock-class reports are watched here by task: with the put moved inside update_lpi_config()'s
    /// irq_lock section, INVALL, having taken its reference before the prune dropped the ap_list's,
    /// drops the last one and takes lpi_xa's xa_lock under the raw irq_lock on PREEMPT_RT; without
    /// the mutant no lock-class report is INVALL's in the same budget.
    /// </summary>
    [Fact]
    public void InvallPutUnderIrqLock_V6_10_InvallVsPrune_IsReportedInInvallsContext()
    {
        var p = VgicLpiParams.Minimal with { Properties = [], PreemptRt = true };
        Scenario scenario = Explore.Named("InvallVsPrune");

        TestReport mutant = ModelRuns.Checked(ModelRuns.Sampling(3000, 0), r => RunWatchingInvall(r, scenario, p with { MutantInvallPutUnderIrqLock = true })).TestReport;
        TestReport kernel = ModelRuns.Checked(ModelRuns.Sampling(3000, 0), r => RunWatchingInvall(r, scenario, p)).TestReport;

        Assert.Contains("its_cmd's lockdep report: BUG: Invalid wait context: its_cmd takes lpi_xa.xa_lock (&xa->xa_lock, a sleeping lock here) while holding vgic_irq#1->irq_lock (raw_spinlock_t)", mutant.Bug?.Message, StringComparison.Ordinal);
        Assert.Null(kernel.Bug);
    }

    private static void RunWatchingInvall(IActorRuntime r, Scenario scenario, VgicLpiParams p)
    {
        r.RegisterMonitor<InvallLockReports>();
        VgicLpiModel.Run(r, Variant.V6_10, scenario, p with { Observer = InvallLockReports.Feed.Instance });
    }

    /// <summary>The lock-class monitor restricted to the ITS command processor's own reports.</summary>
    internal sealed class InvallLockReports : Monitor
    {
        internal sealed class Feed : IKernelObserver
        {
            internal static Feed Instance { get; } = new();

            public void Observe(Event e) => Specification.Monitor<InvallLockReports>(e);
        }

        [Start]
        [OnEventDoAction(typeof(Verify.Kernel.Lifetime.DebugReport), nameof(OnReport))]
        [IgnoreEvents(typeof(WildCardEvent))]
        private sealed class Watching : State
        {
        }

        private void OnReport(Event e)
        {
            var r = (Verify.Kernel.Lifetime.DebugReport)e;
            if (r.Facility == Verify.Kernel.Lifetime.DebugFacility.Lockdep && r.Message.Contains("its_cmd", StringComparison.Ordinal))
            {
                Assert(false, "its_cmd's lockdep report: {0}", r.Message);
            }
        }
    }

    /// <summary>
    /// INVALL against a release of the last reference, in every version: the ITS command's INVALL
    /// against the vCPU's prune or the redistributor writer's flush of the ap_list, and a guest's
    /// GICR_INVALLR write (vgic_its_invall() without its_lock, on vCPU 0) against DISCARD or MAPD
    /// V=0 dropping the ITE's and the cache's references. The lookup of the INTID it found (copied,
    /// or in lpi_xa from v6.10) comes back NULL in some schedule, which every version skips; without
    /// the NULL test the update_lpi_config() that follows oopses.
    /// </summary>
    [Theory]
    [MemberData(nameof(InvallNullLookupCells))]
    public void InvallVsRelease_ReachesTheNullLookup_WhichOnlyTheMutantDereferences(Variant variant, string scenario, string task)
    {
        TestReport mutant = Explore.Run(variant, Explore.Named(scenario), Explore.Only(Property.NullTolerant) with { MutantNoNullTest = true }, iterations: 3000);
        TestReport kernel = Explore.Run(variant, Explore.Named(scenario), Explore.Only(Property.NullTolerant), iterations: 3000);

        Assert.Contains($"BUG: kernel NULL pointer dereference: irq->intid with irq NULL, by task {task}", mutant.Bug?.Message, StringComparison.Ordinal);
        Assert.Null(kernel.Bug);
    }

    public static TheoryData<Variant, string, string> InvallNullLookupCells()
    {
        var cells = new TheoryData<Variant, string, string>();
        foreach (Variant v in Enum.GetValues<Variant>())
        {
            cells.Add(v, "InvallVsPrune", "its_cmd");
            cells.Add(v, "InvallVsRdistDisable", "its_cmd");
            cells.Add(v, "InvallrVsDiscard", "vcpu0");
            cells.Add(v, "InvallrVsMapdUnmap", "vcpu0");
        }

        return cells;
    }

    [Theory]
    [MemberData(nameof(Mutants))]
    public void Mutant_IsCaughtByItsPropertysMonitor(string mutant, Variant variant, string scenario, Property property, string message)
    {
        TestReport report = Explore.Run(variant, Explore.Named(scenario), With(mutant, Explore.Only(property)), iterations: 3000);

        Assert.Contains(message, report.Bug?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Mutants))]
    public void WithoutTheMutant_TheSameBudgetFindsNothing(string mutant, Variant variant, string scenario, Property property, string message)
    {
        Assert.NotEmpty(mutant + message);
        TestReport report = Explore.Run(variant, Explore.Named(scenario), Explore.Only(property), iterations: 3000);

        Assert.Null(report.Bug);
    }

    /// <summary>
    /// S8's mutant publishes the new vgic_irq with a plain WRITE_ONCE(): under SC and TSO (whose FIFO
    /// store buffer keeps kref_init()'s store before the pointer's) no lookup sees the pointer before
    /// the count, within 3000 iterations; under the LKMM mode the lookup (through lpi_xa, or through
    /// the per-ITS cache the first injection filled) reads the pointer and then the count kzalloc()
    /// left, and the trace shows the load of the older store.
    /// </summary>
    [Theory]
    [InlineData(Variant.V6_9, "InvlpiVsMapti", "vcpu0")]
    [InlineData(Variant.V6_10, "InvlpiVsMapti", "vcpu0")]
    [InlineData(Variant.V7_2, "InvlpiVsMapti", "vcpu0")]
    [InlineData(Variant.V6_10, "CachedInjectVsMapti", "injector2")]
    [InlineData(Variant.V7_2, "CachedInjectVsMapti", "injector2")]
    public void PublishWithWriteOnce_HoldsUnderScAndTso_AndFailsUnderTheLkmm(Variant variant, string scenario, string reader)
    {
        var mutant = Explore.Only(Property.Publication) with { MutantPublishWithWriteOnce = true };

        TestingEngine lkmm = Explore.Sample(variant, Explore.Named(scenario + "Lkmm"), mutant);
        TestReport sc = Explore.Run(variant, Explore.Named(scenario), mutant, iterations: 3000);
        TestReport tso = Explore.Run(variant, Explore.Named(scenario + "Tso"), mutant, iterations: 3000);

        Assert.Contains($"P-VG-S8: {reader}'s kref_get_unless_zero(", lkmm.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Matches(@"load vgic_irq@\d->refcount = 0: store #0 of", lkmm.ReadableTrace);
        Assert.Null(sc.Bug);
        Assert.Null(tso.Bug);
    }

    /// <summary>The same configuration without the mutant holds in all three modes within 3000 iterations (rcu_assign_pointer()'s release and the lookup's dependency).</summary>
    [Theory]
    [InlineData(Variant.V6_9, "InvlpiVsMaptiLkmm")]
    [InlineData(Variant.V6_10, "InvlpiVsMaptiLkmm")]
    [InlineData(Variant.V7_2, "InvlpiVsMaptiLkmm")]
    [InlineData(Variant.V6_10, "InvlpiVsMaptiTso")]
    [InlineData(Variant.V6_10, "InvlpiVsMapti")]
    [InlineData(Variant.V6_10, "CachedInjectVsMaptiLkmm")]
    [InlineData(Variant.V7_2, "CachedInjectVsMaptiLkmm")]
    public void WithoutThePublicationMutant_TheLookupSeesTheInitialisedLpi(Variant variant, string scenario)
    {
        TestReport report = Explore.Run(variant, Explore.Named(scenario), Explore.Only(Property.Publication), iterations: 3000);

        Assert.Null(report.Bug);
    }

    /// <summary>
    /// Each property's mutant on v7.2 within one jiffy (<c>--param MaxTicks=1</c>), the configuration of
    /// docs/vgiclpi-v7_2-maxticks1-exhaustive-verdicts.md: the breadth-first search its cells begin
    /// with finds every one, within its first 100,000 states but NoLeak's (212,663 states into
    /// INVALLR against DISCARD, exhausted clean in the table; the table's depth-first phase reaches a
    /// finished run there within 50 states), so each property of that table can fail in its
    /// configuration (shown in one scenario each).
    /// </summary>
    public static TheoryData<string, string, Property, string> OneJiffyMutants() => new()
    {
        { nameof(VgicLpiParams.MutantPutKfree), "CachedInjectVsDiscard", Property.NoUseAfterFree, "P-VG-S1: BUG: KASAN: slab-use-after-free" },
        { nameof(VgicLpiParams.MutantCacheGetWithoutTryGet), "CachedInjectVsDiscard", Property.NoGetFromZero, "P-VG-S2: WARNING: at lib/refcount.c refcount_warn_saturate: refcount_t: addition on 0" },
        { nameof(VgicLpiParams.MutantReleaseSkipsLpiCount), "InvallrVsDiscard", Property.SlotIntegrity, "P-VG-S3: lpi_count is 1 but 0 LPIs are live" },
        { nameof(VgicLpiParams.MutantReleaseLeaks), "InvallrVsDiscard", Property.NoLeak, "Monitor NoLeak detected a liveness bug" },
        { nameof(VgicLpiParams.MutantInvallPutUnderIrqLock), "InvallrVsDiscard", Property.LockClasses, "P-VG-S5: BUG: Invalid wait context" },
        { nameof(VgicLpiParams.MutantQueueUnderIrqLock), "CachedInjectVsPrune", Property.LockClasses, "P-VG-S5: WARNING: possible circular locking dependency detected" },
        { nameof(VgicLpiParams.MutantDiscardKeepsCache), "CachedInjectVsDiscard", Property.CacheCoherence, "P-VG-S6: injector's cache lookup of event 0 returned vgic_irq#1" },
        { nameof(VgicLpiParams.MutantNoNullTest), "SyncPendingVsDiscard", Property.NullTolerant, "BUG: kernel NULL pointer dereference: irq->irq_lock" },
        { nameof(VgicLpiParams.MutantCacheWaitsForGp), "SlowInjectVsDiscard", Property.InjectionNeverWaitsForGp, "P-VG-L1: injector waits for an RCU grace period" },
        { nameof(VgicLpiParams.MutantPublishWithWriteOnce), "InvlpiVsMaptiLkmm", Property.Publication, "P-VG-S8: vcpu0's kref_get_unless_zero(" },
    };

    [Theory]
    [MemberData(nameof(OneJiffyMutants))]
    public void WithinOneJiffy_EachPropertysMutant_IsFoundByBreadthFirstSearch_OnV7_2(string mutant, string scenario, Property property, string message)
    {
        OneJiffyMutantIsFound(Variant.V7_2, mutant, scenario, property, message, bfsStates: 500_000, dfsStates: 0);
    }

    /// <summary>
    /// The same mutants on v6.17 within one jiffy, the configuration of
    /// docs/vgiclpi-v6_17-maxticks1-exhaustive-verdicts.md, by the two phases of its cells: a
    /// breadth-first search of 100,000 states, then depth-first (here to 1,000,000 states, where the
    /// table goes on to 8,000,000). NoLeak's mutant lies beyond the first phase (about 285,000
    /// breadth-first states); the depth-first search finds it within 50.
    /// </summary>
    [Theory]
    [MemberData(nameof(OneJiffyMutants))]
    public void WithinOneJiffy_EachPropertysMutant_IsFoundByTheTablesSearch_OnV6_17(string mutant, string scenario, Property property, string message)
    {
        OneJiffyMutantIsFound(Variant.V6_17, mutant, scenario, property, message, bfsStates: 100_000, dfsStates: 1_000_000);
    }

    /// <summary>The same on v6.10, the configuration of docs/vgiclpi-v6_10-maxticks1-exhaustive-verdicts.md.</summary>
    [Theory]
    [MemberData(nameof(OneJiffyMutants))]
    public void WithinOneJiffy_EachPropertysMutant_IsFoundByTheTablesSearch_OnV6_10(string mutant, string scenario, Property property, string message)
    {
        OneJiffyMutantIsFound(Variant.V6_10, mutant, scenario, property, message, bfsStates: 100_000, dfsStates: 1_000_000);
    }

    /// <summary>
    /// v6.9's mutants within one jiffy, the configuration of docs/vgiclpi-v6_9-maxticks1-exhaustive-verdicts.md,
    /// by the table's two phases. v6.9's cache is the LRU list under the raw lpi_list_lock, which holds
    /// its own reference and is looked up under that lock, so the cache mutants of the later versions
    /// change nothing there (kfree() in its put leaves CachedInjectVsDiscard without a
    /// lockless reader, kref_get() in its lookup never meets a zero count, the per-ITS cache's
    /// synchronize_rcu() is not on its path): S1 and S2 are shown where vgic_get_lpi()'s RCU lookup
    /// races the last put (INVALLR against DISCARD), S2 by a mutant of that lookup, and L1 by the
    /// mutant's grace period in the LRU cache's insertion on the slow injection path. S3 and the
    /// leak are shown in INVALLR against DISCARD, as for the other versions.
    /// </summary>
    public static TheoryData<string, string, Property, string> OneJiffyMutantsV6_9() => new()
    {
        { nameof(VgicLpiParams.MutantPutKfree), "InvallrVsDiscard", Property.NoUseAfterFree, "P-VG-S1: BUG: KASAN: slab-use-after-free" },
        { nameof(VgicLpiParams.MutantGetLpiWithoutTryGet), "InvallrVsDiscard", Property.NoGetFromZero, "P-VG-S2: WARNING: at lib/refcount.c refcount_warn_saturate: refcount_t: addition on 0" },
        { nameof(VgicLpiParams.MutantReleaseSkipsLpiCount), "InvallrVsDiscard", Property.SlotIntegrity, "P-VG-S3: lpi_count is 1 but 0 LPIs are live" },
        { nameof(VgicLpiParams.MutantReleaseLeaks), "InvallrVsDiscard", Property.NoLeak, "Monitor NoLeak detected a liveness bug" },
        { nameof(VgicLpiParams.MutantInvallPutUnderIrqLock), "InvallrVsDiscard", Property.LockClasses, "P-VG-S5: BUG: Invalid wait context: vcpu0 takes lpi_xa.xa_lock (&xa->xa_lock, a sleeping lock here) while holding vgic_irq#2->irq_lock (raw_spinlock_t)" },
        { nameof(VgicLpiParams.MutantQueueUnderIrqLock), "CachedInjectVsPrune", Property.LockClasses, "P-VG-S5: WARNING: possible circular locking dependency detected" },
        { nameof(VgicLpiParams.MutantDiscardKeepsCache), "CachedInjectVsDiscard", Property.CacheCoherence, "P-VG-S6: injector's cache lookup of event 0 returned vgic_irq#2, but the ITS command that completed before the lookup began left the event translating to nothing" },
        { nameof(VgicLpiParams.MutantNoNullTest), "SyncPendingVsDiscard", Property.NullTolerant, "BUG: kernel NULL pointer dereference: irq->irq_lock" },
        { nameof(VgicLpiParams.MutantCacheWaitsForGp), "SlowInjectVsDiscard", Property.InjectionNeverWaitsForGp, "P-VG-L1: injector waits for an RCU grace period" },
        { nameof(VgicLpiParams.MutantPublishWithWriteOnce), "InvlpiVsMaptiLkmm", Property.Publication, "P-VG-S8: vcpu0's kref_get_unless_zero(" },
    };

    [Theory]
    [MemberData(nameof(OneJiffyMutantsV6_9))]
    public void WithinOneJiffy_EachPropertysMutant_IsFoundByTheTablesSearch_OnV6_9(string mutant, string scenario, Property property, string message)
    {
        OneJiffyMutantIsFound(Variant.V6_9, mutant, scenario, property, message, bfsStates: 100_000, dfsStates: 1_000_000);
    }

    /// <summary>
    /// v6.8's mutants within one jiffy, the configuration of docs/vgiclpi-v6_8-maxticks1-exhaustive-verdicts.md,
    /// by the table's two phases. v6.8 looks LPIs up on lpi_list under the raw lpi_list_lock and
    /// drops the last reference, unlinks and kfree()s under the same lock, so neither kfree() nor
    /// kref_get() is a mutant there: S1 and S2 are shown by a put that drops its reference without
    /// the lock, where INVALLR's lookup races DISCARD's last put. v6.8 lacks the NULL tests of MOVALL
    /// and the pending-table sync, whose cells the table reports violated, so S7's mutant drops
    /// INVALL's, in INVALLR against DISCARD; S5 and S6 are shown where the table has those properties
    /// clean (CachedInjectVsPrune, CachedInjectVsDiscard). Every cell here is exhausted clean in the
    /// table. S8 has none: v6.8 looks an LPI up only under lpi_list_lock, so its publication cells
    /// hold by the lock, with no lockless lookup for a mutant to reorder.
    /// </summary>
    public static TheoryData<string, string, Property, string> OneJiffyMutantsV6_8() => new()
    {
        { nameof(VgicLpiParams.MutantPutWithoutListLock), "InvallrVsDiscard", Property.NoUseAfterFree, "P-VG-S1: BUG: KASAN: slab-use-after-free" },
        { nameof(VgicLpiParams.MutantPutWithoutListLock), "InvallrVsDiscard", Property.NoGetFromZero, "P-VG-S2: WARNING: at lib/refcount.c refcount_warn_saturate: refcount_t: addition on 0" },
        { nameof(VgicLpiParams.MutantReleaseSkipsLpiCount), "InvallrVsDiscard", Property.SlotIntegrity, "P-VG-S3: lpi_count is 1 but 0 LPIs are live" },
        { nameof(VgicLpiParams.MutantReleaseLeaks), "InvallrVsDiscard", Property.NoLeak, "Monitor NoLeak detected a liveness bug" },
        { nameof(VgicLpiParams.MutantQueueUnderIrqLock), "CachedInjectVsPrune", Property.LockClasses, "P-VG-S5: WARNING: possible circular locking dependency detected" },
        { nameof(VgicLpiParams.MutantDiscardKeepsCache), "CachedInjectVsDiscard", Property.CacheCoherence, "P-VG-S6: injector's cache lookup of event 0 returned vgic_irq#" },
        { nameof(VgicLpiParams.MutantNoNullTest), "InvallrVsDiscard", Property.NullTolerant, "BUG: kernel NULL pointer dereference: irq->intid with irq NULL, by task vcpu0" },
        { nameof(VgicLpiParams.MutantCacheWaitsForGp), "SlowInjectVsDiscard", Property.InjectionNeverWaitsForGp, "P-VG-L1: injector waits for an RCU grace period" },
    };

    [Theory]
    [MemberData(nameof(OneJiffyMutantsV6_8))]
    public void WithinOneJiffy_EachPropertysMutant_IsFoundByTheTablesSearch_OnV6_8(string mutant, string scenario, Property property, string message)
    {
        OneJiffyMutantIsFound(Variant.V6_8, mutant, scenario, property, message, bfsStates: 100_000, dfsStates: 1_000_000);
    }

    /// <summary>
    /// The mutant found within one jiffy by a breadth-first search of <paramref name="bfsStates"/>
    /// states, or, where that finds none and <paramref name="dfsStates"/> is not 0, by a depth-first
    /// search of that many after it (the two phases of a one-jiffy table's cells).
    /// </summary>
    private static void OneJiffyMutantIsFound(Variant variant, string mutant, string scenario, Property property, string message, long bfsStates, long dfsStates)
    {
        VgicLpiParams p = With(mutant, Explore.Only(property)) with { MaxTicks = 1 };
        TestReport report = ModelRuns.Checked(ModelRuns.Stateful("stateful-bfs").WithMaxStates(bfsStates), r => VgicLpiModel.Run(r, variant, Explore.Named(scenario), p)).TestReport;
        if (report.Bug is null && dfsStates > 0)
        {
            report = ModelRuns.Checked(ModelRuns.Stateful("stateful-dfs").WithMaxStates(dfsStates), r => VgicLpiModel.Run(r, variant, Explore.Named(scenario), p)).TestReport;
        }

        Assert.Contains(message, report.Bug?.Message, StringComparison.Ordinal);
    }

    private static VgicLpiParams With(string mutant, VgicLpiParams p) => mutant switch
    {
        nameof(VgicLpiParams.MutantPutKfree) => p with { MutantPutKfree = true },
        nameof(VgicLpiParams.MutantCacheGetWithoutTryGet) => p with { MutantCacheGetWithoutTryGet = true },
        nameof(VgicLpiParams.MutantGetLpiWithoutTryGet) => p with { MutantGetLpiWithoutTryGet = true },
        nameof(VgicLpiParams.MutantPutWithoutListLock) => p with { MutantPutWithoutListLock = true },
        nameof(VgicLpiParams.MutantReleaseSkipsLpiCount) => p with { MutantReleaseSkipsLpiCount = true },
        nameof(VgicLpiParams.MutantReleaseLeaks) => p with { MutantReleaseLeaks = true },
        nameof(VgicLpiParams.MutantPutUnderRawLocks) => p with { MutantPutUnderRawLocks = true },
        nameof(VgicLpiParams.MutantDiscardKeepsCache) => p with { MutantDiscardKeepsCache = true },
        nameof(VgicLpiParams.MutantNoNullTest) => p with { MutantNoNullTest = true },
        nameof(VgicLpiParams.MutantCacheWaitsForGp) => p with { MutantCacheWaitsForGp = true },
        nameof(VgicLpiParams.MutantInvallPutUnderIrqLock) => p with { MutantInvallPutUnderIrqLock = true },
        nameof(VgicLpiParams.MutantQueueUnderIrqLock) => p with { MutantQueueUnderIrqLock = true },
        nameof(VgicLpiParams.MutantPublishWithWriteOnce) => p with { MutantPublishWithWriteOnce = true },
        _ => throw new ArgumentException($"No mutant {mutant}.", nameof(mutant)),
    };
}
