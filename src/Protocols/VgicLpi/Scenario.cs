using Verify.Kernel.Memory;

namespace Verify.Protocols.VgicLpi;

/// <summary>An ITS command the command processor handles, on device 0.</summary>
public enum ItsCmdKind
{
    /// <summary>MAPTI: map event <c>Event</c> to LPI <c>Intid</c> on collection 0 (vgic_add_lpi()).</summary>
    Mapti,

    /// <summary>DISCARD: unmap event <c>Event</c> (cache invalidation, its_free_ite()).</summary>
    Discard,

    /// <summary>MOVI: move event <c>Event</c> to the last collection (the last vCPU), then invalidate the cache.</summary>
    Movi,

    /// <summary>INV: reread the LPI's configuration (update_lpi_config()).</summary>
    Inv,

    /// <summary>CLEAR: clear the LPI's pending state.</summary>
    Clear,

    /// <summary>MAPD with V=0: unmap device 0, freeing every ITE (and invalidating the cache).</summary>
    MapdUnmap,

    /// <summary>MOVALL: move every LPI of vCPU 0 to the last vCPU (a vgic_get_irq() per INTID copied by vgic_copy_lpi_list(), or from v6.10 found by xa_for_each()).</summary>
    Movall,

    /// <summary>
    /// INVALL of collection 0 (vCPU 0): vgic_its_invall(), a vgic_get_irq() per LPI (on a copied
    /// INTID list up to the v2 design, walking lpi_xa from v6.10), update_lpi_config() filtered on
    /// the vCPU, vgic_put_irq(). <c>Event</c> is not used.
    /// </summary>
    Invall,
}

/// <summary>One ITS command: its kind, the event it names, and for MAPTI the LPI.</summary>
public sealed record ItsCmd(ItsCmdKind Kind, int Event, int Intid = VgicLpiKernel.VGIC_MIN_LPI)
{
    public override string ToString() => Kind switch
    {
        ItsCmdKind.Mapti => $"MAPTI(ev{Event}, {Intid})",
        ItsCmdKind.Invall => "INVALL(coll0)",
        _ => $"{Kind.ToString().ToUpperInvariant()}(ev{Event})",
    };
}

/// <summary>
/// An LPI that exists at boot: its INTID, the event of device 0 whose ITE maps it (null: none, a
/// discarded LPI kept alive by another reference), whether the translation cache holds it, and
/// whether it sits on vCPU 0's ap_list (handled by the guest, no longer pending, unless
/// <c>Pending</c>: still pending there, so a prune keeps it while it is enabled).
/// </summary>
public sealed record LpiAtBoot(int Intid, int? Event, bool Cached, bool Queued, bool Pending = false);

/// <summary>
/// Who acts on the LPIs, each on a CPU of its own, at the minimal sizes of one or two LPIs, one
/// device, one ITS and a cache of one entry (or the size given), as the actor pairings of the
/// upstream discussion.
/// </summary>
public sealed record Scenario
{
    public required string Name { get; init; }

    /// <summary>The LPIs at boot.</summary>
    public IReadOnlyList<LpiAtBoot> Lpis { get; init; } = [new(VgicLpiKernel.VGIC_MIN_LPI, 0, Cached: true, Queued: false)];

    /// <summary>The LRU cache's size in entries (v6.7 to v6.9 and the v2 design); the per-ITS xarray of v6.10 on has no bound.</summary>
    public int CacheSize { get; init; } = 1;

    /// <summary>vCPUs (MOVI and MOVALL move to the last one).</summary>
    public int Vcpus { get; init; } = 1;

    /// <summary>Events the first injector signals, in order (KVM_SIGNAL_MSI on device 0).</summary>
    public IReadOnlyList<int> Injections { get; init; } = [];

    /// <summary>Events a second injector signals.</summary>
    public IReadOnlyList<int> Injections2 { get; init; } = [];

    /// <summary>Commands the ITS command processor handles, in order (one CWRITER write each).</summary>
    public IReadOnlyList<ItsCmd> ItsCommands { get; init; } = [];

    /// <summary>vCPU 0 runs vgic_prune_ap_list() once.</summary>
    public bool VcpuPrunes { get; init; }

    /// <summary>The last vCPU (MOVI's target) also leaves its guest once and prunes its own ap_list.</summary>
    public bool TargetPrunes { get; init; }

    /// <summary>The least sampling budget of the scenario's cells in the verdict tables (0: the table's own), for races that need more schedules.</summary>
    public int MinIterations { get; init; }

    /// <summary>A redistributor write clears vCPU 0's GICR_CTLR.EnableLPIs.</summary>
    public bool RdistDisablesLpis { get; init; }

    /// <summary>A guest GICR_CTLR write setting vCPU 0's EnableLPIs syncs its pending table (vgic_enable_lpis(), its_sync_lpi_pending_table()).</summary>
    public bool SyncsPendingTable { get; init; }

    /// <summary>vCPU 0 writes this INTID to its GICR_INVLPIR (vgic_mmio_write_invlpi(): a lockless lookup, a load of irq->intid through it); null: no such write.</summary>
    public int? Invlpi { get; init; }

    /// <summary>The guest has cleared the LPIs' enable bit in the configuration table, which INVALL then reads.</summary>
    public bool PropbaseDisabled { get; init; }

    /// <summary>vCPU 0 writes its GICR_INVALLR (vgic_mmio_write_invall(): vgic_its_invall(vcpu0) without its_lock).</summary>
    public bool Invallr { get; init; }

    /// <summary>How the machine's memory orders accesses (SC, or the weak modes of the publication scenarios).</summary>
    public MemoryMode Memory { get; init; } = MemoryMode.Sc;

    /// <summary>
    /// A publication scenario (<c>InvlpiVsMapti</c>, <c>CachedInjectVsMapti</c> and their weak
    /// modes): it erases nothing, so it may run in a weak memory mode. The others erase under RCU,
    /// whose grace period is not tied to the memory, and run under SC only.
    /// </summary>
    public bool WeakMemoryAllowed { get; init; }

    /// <summary>
    /// Whether the model says something about this scenario on <paramref name="v"/>: in a weak
    /// mode, SeedV2's translation cache (an rculist whose entries and their irq pointers the model
    /// reads from the objects, not through the memory) has no route the mode could reorder, so
    /// its weak-mode <c>CachedInjectVsMapti</c> cells are not modelled.
    /// </summary>
    public bool Models(Variant v) => Memory == MemoryMode.Sc || v != Variant.SeedV2 || Injections.Count == 0;

    /// <summary>Allocations may fail (kzalloc(), xa_reserve(), xa_store()) as their gfp flags allow.</summary>
    public bool AllocationsMayFail { get; init; }

    /// <summary>
    /// The LockClasses cells run on PREEMPT_RT, where xa_lock is a sleeping lock and lockdep reports
    /// it taken under a raw spinlock; false runs them without, where only a lock imbalance is reported.
    /// </summary>
    public bool LockClassesOnRt { get; init; } = true;

    /// <summary>The properties the scenario says something about.</summary>
    public IReadOnlyList<Property> Properties { get; init; } = Everything;

    private static readonly Property[] Everything = [.. Enum.GetValues<Property>().Where(p => p is not (Property.NullTolerant or Property.Publication or Property.ApListIntegrity))];

    private const int Lpi0 = VgicLpiKernel.VGIC_MIN_LPI;

    /// <summary>
    /// The properties of INVALL against a release (the prune or the flush): where INVALL's put can
    /// be the last, the release may run in INVALL's context, so the lifetime and lock-class monitors
    /// watch it beside the NULL test (no cache and no injection: S6 and L1 say nothing here).
    /// </summary>
    private static readonly Property[] InvallRelease =
        [Property.NoUseAfterFree, Property.NoGetFromZero, Property.SlotIntegrity, Property.NoLeak, Property.LockClasses, Property.NullTolerant];

    /// <summary>
    /// The lifetime and lock-class properties: a scenario with no injection makes no cache lookup and
    /// injects nothing, so S6 and L1 say nothing there. INVALL disabling a pending LPI that the prune
    /// then drops has these too: the lookup cannot fail before INVALL has disabled it (the prune keeps
    /// it until then), so S7 says nothing there either.
    /// </summary>
    private static readonly Property[] Lifetimes =
        [Property.NoUseAfterFree, Property.NoGetFromZero, Property.SlotIntegrity, Property.NoLeak, Property.LockClasses];

    public static IReadOnlyList<Scenario> All { get; } = Build();

    /// <summary>
    /// The named pairings under SC, then the publication pairings in each memory mode (the name
    /// ends in Tso or Lkmm for the weak ones): MAPTI's vgic_add_lpi() against a vCPU's lockless
    /// lookup of the same INTID (<c>InvlpiVsMapti</c>), and against two injections of its event, the
    /// first of which, on a miss, caches the new translation, which the second's lockless cache
    /// lookup may find (<c>CachedInjectVsMapti</c>).
    /// </summary>
    private static List<Scenario> Build()
    {
        var all = new List<Scenario>(Pairings);
        foreach (MemoryMode m in Enum.GetValues<MemoryMode>())
        {
            string mode = m == MemoryMode.Sc ? string.Empty : m.ToString();
            all.Add(new()
            {
                Name = "InvlpiVsMapti" + mode, Memory = m, WeakMemoryAllowed = true,
                Lpis = [], Invlpi = Lpi0, ItsCommands = [new(ItsCmdKind.Mapti, 0)], Properties = [Property.Publication],
            });
            all.Add(new()
            {
                Name = "CachedInjectVsMapti" + mode, Memory = m, WeakMemoryAllowed = true,
                Lpis = [], Injections = [0], Injections2 = [0], ItsCommands = [new(ItsCmdKind.Mapti, 0)], Properties = [Property.Publication],
            });
        }

        return all;
    }

    /// <summary>The pairings at SC (a property, so it is built when <see cref="All"/> is, in <see cref="Build"/>).</summary>
    private static Scenario[] Pairings =>
    [
        new() { Name = "CachedInjectVsDiscard", Injections = [0], ItsCommands = [new(ItsCmdKind.Discard, 0)] },
        new() { Name = "SlowInjectVsDiscard", Lpis = [new(Lpi0, 0, Cached: false, Queued: false)], Injections = [0], ItsCommands = [new(ItsCmdKind.Discard, 0)] },
        new() { Name = "CachedInjectVsMovi", Vcpus = 2, Injections = [0], ItsCommands = [new(ItsCmdKind.Movi, 0)] },

        // DISCARD, then MAPTI of the same event to another INTID: a stale cache entry would still
        // translate the event to the first LPI, alive as long as the cache holds its reference.
        new() { Name = "CachedInjectVsDiscardMapti", Injections = [0], ItsCommands = [new(ItsCmdKind.Discard, 0), new(ItsCmdKind.Mapti, 0, Lpi0 + 1)] },

        // INV enables and queues the LPI under its irq_lock while a cached injection queues it too;
        // INV leaves translations alone, so only the lifetime and lock properties apply.
        new() { Name = "CachedInjectVsInv", Injections = [0], ItsCommands = [new(ItsCmdKind.Inv, 0)], Properties = Lifetimes },
        new() { Name = "CachedInjectVsMapdUnmap", Injections = [0], ItsCommands = [new(ItsCmdKind.MapdUnmap, 0)] },
        new()
        {
            Name = "CachedVsSlowInject",
            Lpis = [new(Lpi0, 0, Cached: true, Queued: false), new(Lpi0 + 1, 1, Cached: false, Queued: false)],
            Injections = [0], Injections2 = [1],
        },
        new() { Name = "SlowVsSlowInject", Lpis = [new(Lpi0, 0, Cached: false, Queued: false)], Injections = [0], Injections2 = [0] },

        // A cache of two: event 0 cached and hit while event 1's slow path inserts beside it (no
        // eviction) and DISCARD of event 0 invalidates the whole cache.
        new()
        {
            Name = "TwoEntryCacheVsDiscard", CacheSize = 2,
            Lpis = [new(Lpi0, 0, Cached: true, Queued: false), new(Lpi0 + 1, 1, Cached: false, Queued: false)],
            Injections = [0], Injections2 = [1], ItsCommands = [new(ItsCmdKind.Discard, 0)],
        },
        new()
        {
            Name = "SlowInjectVsMapti", Lpis = [], Injections = [0], ItsCommands = [new(ItsCmdKind.Mapti, 0)],
            Properties = Lifetimes,
        },
        new() { Name = "CachedInjectVsPrune", Lpis = [new(Lpi0, 0, Cached: true, Queued: true)], Injections = [0], VcpuPrunes = true },
        new() { Name = "CachedInjectVsRdistDisable", Lpis = [new(Lpi0, 0, Cached: true, Queued: true)], Injections = [0], RdistDisablesLpis = true },
        new() { Name = "PruneVsDiscard", Lpis = [new(Lpi0, 0, Cached: true, Queued: true)], VcpuPrunes = true, ItsCommands = [new(ItsCmdKind.Discard, 0)], Properties = Lifetimes },
        new() { Name = "PruneVsMapti", Lpis = [new(Lpi0, null, Cached: false, Queued: true)], VcpuPrunes = true, ItsCommands = [new(ItsCmdKind.Mapti, 0)], Properties = Lifetimes },

        // The failed store's error path needs the prune to erase the dying LPI between MAPTI's
        // lookup and its store, and the allocation to fail there: random schedules need some
        // thousands (v6.10's recursive xa_lock with seed 0 at iteration 2,107); runs are short.
        new()
        {
            Name = "PruneVsMaptiNoMem", Lpis = [new(Lpi0, null, Cached: false, Queued: true)], VcpuPrunes = true, ItsCommands = [new(ItsCmdKind.Mapti, 0)],
            AllocationsMayFail = true, LockClassesOnRt = false, Properties = Lifetimes, MinIterations = VgicLpiProtocol.RareRaceIterations,
        },
        new() { Name = "PruneVsRdistDisable", Lpis = [new(Lpi0, null, Cached: false, Queued: true)], VcpuPrunes = true, RdistDisablesLpis = true, Properties = Lifetimes },
        new()
        {
            Name = "SlowInjectVsRdistDisable", Lpis = [new(Lpi0, 0, Cached: false, Queued: false)], Injections = [0, 0], RdistDisablesLpis = true,
            Properties = [Property.CacheCoherence],
        },
        new() { Name = "RdistDisableVsDiscard", RdistDisablesLpis = true, ItsCommands = [new(ItsCmdKind.Discard, 0)], Properties = Lifetimes },
        new() { Name = "InvVsPrune", Lpis = [new(Lpi0, 0, Cached: true, Queued: true)], VcpuPrunes = true, ItsCommands = [new(ItsCmdKind.Inv, 0), new(ItsCmdKind.Clear, 0)], Properties = Lifetimes },
        new()
        {
            Name = "SyncPendingVsDiscard", Lpis = [new(Lpi0, 0, Cached: false, Queued: false)], SyncsPendingTable = true,
            ItsCommands = [new(ItsCmdKind.Discard, 0)], Properties = [Property.NullTolerant],
        },
        new()
        {
            Name = "SyncPendingVsPrune", Lpis = [new(Lpi0, null, Cached: false, Queued: true)], VcpuPrunes = true, SyncsPendingTable = true,
            Properties = [Property.NullTolerant],
        },
        new()
        {
            Name = "MovallVsPrune", Vcpus = 2, Lpis = [new(Lpi0, null, Cached: false, Queued: true)], VcpuPrunes = true,
            ItsCommands = [new(ItsCmdKind.Movall, 0)], Properties = [Property.NullTolerant],
        },
        new()
        {
            Name = "InvallVsPrune", Lpis = [new(Lpi0, null, Cached: false, Queued: true)], VcpuPrunes = true,
            ItsCommands = [new(ItsCmdKind.Invall, 0)], Properties = InvallRelease,
        },
        new()
        {
            Name = "InvallVsRdistDisable", Lpis = [new(Lpi0, null, Cached: false, Queued: true)], RdistDisablesLpis = true,
            ItsCommands = [new(ItsCmdKind.Invall, 0)], Properties = InvallRelease,
        },
        new() { Name = "CachedInjectVsInvall", Injections = [0], ItsCommands = [new(ItsCmdKind.Invall, 0)] },
        new()
        {
            Name = "InvallDisableVsPrune", Lpis = [new(Lpi0, null, Cached: false, Queued: true, Pending: true)], VcpuPrunes = true,
            PropbaseDisabled = true, ItsCommands = [new(ItsCmdKind.Invall, 0)], Properties = Lifetimes,
        },
        new() { Name = "InvallrVsDiscard", Invallr = true, ItsCommands = [new(ItsCmdKind.Discard, 0)], Properties = InvallRelease },
        new() { Name = "InvallrVsMapdUnmap", Invallr = true, ItsCommands = [new(ItsCmdKind.MapdUnmap, 0)], Properties = InvallRelease },

        // The prune's migration window: a pending, cached LPI on vCPU 0's ap_list that MOVI
        // retargets to vCPU 1 and DISCARD then unmaps, while vCPU 0 prunes (and so moves it), a
        // redistributor write clearing vCPU 0's EnableLPIs flushes its ap_list, and vCPU 1, kicked
        // by the move or not, prunes its own. vCPU 1 touches an LPI the move left there without a
        // reference only after the grace period that frees it, within the two jiffies of a run:
        // random schedules need some thousands (seed 0: iteration 2,968 on v6.10 and v7.2).
        new()
        {
            Name = "MoviDiscardVsPruneFlush", Vcpus = 2, Lpis = [new(Lpi0, 0, Cached: true, Queued: true, Pending: true)], VcpuPrunes = true, TargetPrunes = true, MinIterations = VgicLpiProtocol.RareRaceIterations,
            RdistDisablesLpis = true, ItsCommands = [new(ItsCmdKind.Movi, 0), new(ItsCmdKind.Discard, 0)], Properties = [.. Lifetimes, Property.ApListIntegrity],
        },
    ];
}
