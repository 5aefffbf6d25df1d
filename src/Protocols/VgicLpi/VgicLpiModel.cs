using Verify.Actors;
using Verify.Kernel.Lifetime;
using Verify.Kernel.Machine;
using Verify.Kernel.Memory;
using Verify.Kernel.Sched;
using Verify.Protocols.VgicLpi.Monitors;
using Verify.SystematicTesting;

namespace Verify.Protocols.VgicLpi;

/// <summary>Sizes, switches and mutants of a vGIC LPI configuration; the defaults are the minimal one.</summary>
public sealed record VgicLpiParams
{
    /// <summary>The memory mode; null takes the scenario's (SC unless its name says TSO or LKMM).</summary>
    public MemoryMode? Memory { get; init; }

    /// <summary>Jiffies before time stops (time for a grace period to end and kfree_rcu() to free).</summary>
    public int MaxTicks { get; init; } = 2;

    /// <summary>CONFIG_PREEMPT_RT; null: on for the lock-class cells (where spinlock_t sleeps), off otherwise.</summary>
    public bool? PreemptRt { get; init; }

    /// <summary>The monitors to register; a verdict cell checks one property so its trace names the one that failed.</summary>
    public IReadOnlyList<Property> Properties { get; init; } = Enum.GetValues<Property>();

    /// <summary>S1's mutant: vgic_put_irq() frees with kfree() instead of kfree_rcu() (v6.9 on).</summary>
    public bool MutantPutKfree { get; init; }

    /// <summary>S2's mutant: the cache lookup takes its reference with kref_get() instead of kref_get_unless_zero() (50ac89bb7092 undone).</summary>
    public bool MutantCacheGetWithoutTryGet { get; init; }

    /// <summary>S2's mutant: vgic_get_lpi() takes its reference with kref_get() instead of vgic_try_get_irq_kref() (the RCU lookup of v6.9 on).</summary>
    public bool MutantGetLpiWithoutTryGet { get; init; }

    /// <summary>
    /// S1's and S2's mutant for the lpi_list versions (v6.7, v6.8): vgic_put_irq() drops its reference
    /// without lpi_list_lock and takes the lock only to unlink and kfree() after the last, so a lookup
    /// under that lock can find the LPI on the list between the two and take a zero count.
    /// </summary>
    public bool MutantPutWithoutListLock { get; init; }

    /// <summary>S3's mutant: a release does not decrement lpi_count.</summary>
    public bool MutantReleaseSkipsLpiCount { get; init; }

    /// <summary>S4's mutant: a release unlinks the vgic_irq but never frees it.</summary>
    public bool MutantReleaseLeaks { get; init; }

    /// <summary>S5's mutant: the ap_list's reference is dropped with vgic_put_irq() under the raw locks even where the version has vgic_put_irq_norelease().</summary>
    public bool MutantPutUnderRawLocks { get; init; }

    /// <summary>S6's mutant: DISCARD frees the ITE without invalidating the translation cache.</summary>
    public bool MutantDiscardKeepsCache { get; init; }

    /// <summary>S7's mutant: the callers of vgic_get_irq() on a copied INTID list, and INVALL's, do not test for NULL.</summary>
    public bool MutantNoNullTest { get; init; }

    /// <summary>
    /// S5's mutant in INVALL: vgic_its_invall() drops the lookup's reference with vgic_put_irq()
    /// inside update_lpi_config()'s raw irq_lock section instead of after it.
    /// </summary>
    public bool MutantInvallPutUnderIrqLock { get; init; }

    /// <summary>
    /// S5's lock-order mutant: vgic_queue_irq_unlock() keeps irq_lock and takes the target's
    /// ap_list_lock inside it, instead of dropping irq_lock and taking ap_list_lock first: the
    /// order irq_lock -> ap_list_lock, the reverse of vgic_prune_ap_list()'s.
    /// </summary>
    public bool MutantQueueUnderIrqLock { get; init; }

    /// <summary>
    /// L1's mutant: the cache insertion waits for a grace period (synchronize_rcu()): the per-ITS
    /// cache's before dropping the replaced reference, the LRU cache's once lpi_list_lock is dropped.
    /// </summary>
    public bool MutantCacheWaitsForGp { get; init; }

    /// <summary>
    /// S8's mutant: xas_store() publishes a new entry of lpi_xa or of the per-ITS cache with a plain
    /// WRITE_ONCE() instead of rcu_assign_pointer() (no release): it holds under SC and TSO and
    /// fails under the LKMM mode.
    /// </summary>
    public bool MutantPublishWithWriteOnce { get; init; }

    /// <summary>
    /// A proposed fix, not a kernel version: vgic_prune_ap_list()'s re-check after taking both
    /// ap_list_locks also requires irq->vcpu == vcpu, so it moves only an entry still on its own
    /// list (under both locks and irq_lock, the flush cannot have unlinked it then). Where the LPI is
    /// freed after a grace period (v6.9 on), which the prune's disabled interrupts hold off, the
    /// migration scenario holds with it (5,000 sampled runs); v6.7 and v6.8 kfree() it at once, so
    /// their window needs a reference held across it too.
    /// </summary>
    public bool FixPruneChecksVcpu { get; init; }

    /// <summary>Statistics runs: counts what the injections cost, instead of checking properties.</summary>
    public VgicLpiStatistics? Statistics { get; init; }

    /// <summary>Another observer of the run's kernel events, beside the property monitors (a test's own monitor, fed what they are fed).</summary>
    public IKernelObserver? Observer { get; init; }

    public static VgicLpiParams Minimal { get; } = new();
}

/// <summary>
/// The vGIC LPI model: each actor of the scenario (injectors, vCPU 0, the ITS command processor, the
/// redistributor writers disabling and enabling LPIs) on a modelled CPU of its own, over the LPIs,
/// ITEs and cache entries the scenario starts with. Every variant by every scenario, as named tests.
/// </summary>
public static class VgicLpiModel
{
    /// <summary>The variant x scenario x property matrix, named <c>Variant.Scenario.Property</c>, each on the minimal configuration.</summary>
    [TestSource]
    public static IEnumerable<TestCaseSource> Tests =>
        from v in Enum.GetValues<Variant>()
        from s in Scenario.All
        where s.Models(v)
        from p in s.Properties
        select new TestCaseSource($"{v}.{s.Name}.{p}", r => Run(r, v, s, VgicLpiParams.Minimal with { Properties = [p] }));

    /// <summary>PREEMPT_RT for a run: as given, else on exactly when lock classes are checked and the scenario checks them on PREEMPT_RT.</summary>
    public static bool PreemptRt(Scenario s, VgicLpiParams p) => p.PreemptRt ?? (s.LockClassesOnRt && p.Properties.Contains(Property.LockClasses));

    /// <summary>Sets up one configuration in the test body; the engine explores it.</summary>
    public static void Run(IActorRuntime runtime, Variant variant, Scenario scenario, VgicLpiParams p)
    {
        int actors = (scenario.Injections.Count > 0 ? 1 : 0) + (scenario.Injections2.Count > 0 ? 1 : 0) + (scenario.ItsCommands.Count > 0 ? 1 : 0)
            + (scenario.VcpuPrunes ? 1 : 0) + (scenario.TargetPrunes ? 1 : 0) + (scenario.RdistDisablesLpis ? 1 : 0) + (scenario.SyncsPendingTable ? 1 : 0)
            + (scenario.Invlpi is null ? 0 : 1) + (scenario.Invallr ? 1 : 0);
        var config = new KernelConfig
        {
            Cpus = Math.Max(1, actors),
            MaxTicks = p.MaxTicks,
            NohzFull = false,
            PreemptRt = PreemptRt(scenario, p),
            ObserveDebugReports = true,
            ProveLocking = true,
        };

        Register(runtime, p);
        var k = new KernelState(config, runtime);
        k.AddObserver(VgicLpiObserver.Instance);
        if (p.Statistics is not null)
        {
            k.AddObserver(p.Statistics);
        }

        if (p.Observer is not null)
        {
            k.AddObserver(p.Observer);
        }

        SharedMemory mem = SharedMemory.Boot(runtime, p.Memory ?? scenario.Memory, config.Cpus, VgicLpiKernel.StaleStores);

        // A CPU step that loads, stores or fences in this memory is a shared step for --por (under
        // TSO and the LKMM mode such a step touches no variable the substrate's Access layer sees).
        k.Memory = mem;
        var g = new VgicLpiKernel(k, mem, variant, p, scenario.Vcpus);
        Heap.Of(k).may_fail = false;
        Populate(k, g, variant, scenario);
        Heap.Of(k).may_fail = scenario.AllocationsMayFail;
        IEnumerable<ItsCmd> maptis = scenario.ItsCommands.Where(c => c.Kind == ItsCmdKind.Mapti);
        g.DeclareMemory(
            scenario.Lpis.Select(l => (long)l.Intid).Concat(maptis.Select(c => (long)c.Intid)).Concat(scenario.Invlpi is int i ? [i] : []),
            scenario.Lpis.Where(l => l.Event is not null).Select(l => (long)l.Event!.Value).Concat(scenario.Injections.Concat(scenario.Injections2).Select(e => (long)e))
                .Concat(scenario.ItsCommands.Select(c => (long)c.Event)),
            maptis.Count());

        var tasks = new List<TaskStruct>();
        int cpu = 0;
        if (scenario.Injections.Count > 0)
        {
            tasks.Add(new Injector(g, "injector", cpu++, scenario.Injections));
        }

        if (scenario.Injections2.Count > 0)
        {
            tasks.Add(new Injector(g, "injector2", cpu++, scenario.Injections2));
        }

        if (scenario.VcpuPrunes)
        {
            tasks.Add(new VcpuThread(g, cpu++, 0));
        }

        if (scenario.ItsCommands.Count > 0)
        {
            tasks.Add(new ItsCommandThread(g, cpu++, scenario.ItsCommands));
        }

        if (scenario.RdistDisablesLpis)
        {
            tasks.Add(new RdistWriter(g, cpu++));
        }

        if (scenario.SyncsPendingTable)
        {
            tasks.Add(new RdistEnableThread(g, cpu++));
        }

        if (scenario.Invlpi is int intid)
        {
            tasks.Add(new InvlpiThread(g, cpu++, intid));
        }

        if (scenario.Invallr)
        {
            tasks.Add(new InvallrThread(g, cpu++));
        }

        if (scenario.TargetPrunes)
        {
            if (scenario.Vcpus < 2)
            {
                throw new ArgumentException($"{scenario.Name}: TargetPrunes needs a second vCPU, the target of MOVI.", nameof(scenario));
            }

            tasks.Add(new VcpuThread(g, cpu++, scenario.Vcpus - 1));
        }

        g.actors_running = tasks.Count;
        foreach (TaskStruct t in tasks)
        {
            k.SetCurrent(k.cpus[t.cpu], t);
        }

        k.Boot();
    }

    /// <summary>
    /// A statistics run of vgic_lpi_stress's shape: every LPI of the configuration mapped (one ITE
    /// each, on vCPU 0's collection), the cache empty, one worker injecting them all in turn for
    /// <paramref name="rounds"/> rounds; the statistics count the last.
    /// </summary>
    public static void RunStress(IActorRuntime runtime, Variant variant, StressConfig c, int rounds, int maxTicks, VgicLpiStatistics stats)
    {
        var scenario = new Scenario
        {
            Name = "Stress",
            CacheSize = c.CacheSize,
            Lpis = Enumerable.Range(0, c.Lpis).Select(i => new LpiAtBoot(VgicLpiKernel.VGIC_MIN_LPI + i, i, Cached: false, Queued: false)).ToList(),
        };
        var p = VgicLpiParams.Minimal with { MaxTicks = maxTicks, Statistics = stats, Properties = [] };
        stats.NewRun(stress: true);
        var k = new KernelState(new KernelConfig { Cpus = 1, MaxTicks = maxTicks, NohzFull = false, ObserveDebugReports = true }, runtime);
        k.AddObserver(stats);
        var g = new VgicLpiKernel(k, SharedMemory.Boot(runtime, MemoryMode.Sc, 1), variant, p, 1);
        Heap.Of(k).may_fail = false;
        Populate(k, g, variant, scenario);
        g.DeclareMemory(scenario.Lpis.Select(l => (long)l.Intid), Enumerable.Range(0, c.Lpis).Select(e => (long)e), fresh: 0);
        var worker = new StressInjector(g, 0, c.Lpis, rounds);
        g.actors_running = 1;
        k.SetCurrent(k.cpus[0], worker);
        k.Boot();
    }

    /// <summary>The LPIs, ITEs and cache entries at boot, each with the references its holders own.</summary>
    private static void Populate(KernelState k, VgicLpiKernel g, Variant variant, Scenario scenario)
    {
        VgicDist dist = g.dist;
        dist.cache_max = scenario.CacheSize;
        dist.propbase_enabled = !scenario.PropbaseDisabled;
        if (variant.LruCache())
        {
            // vgic_lpi_translation_cache_init(): the LRU entries are allocated up front, unused.
            for (int i = 0; i < scenario.CacheSize; i++)
            {
                dist.lpi_translation_cache.Add(Slab.Kzalloc<TranslationCacheEntry>(k, null, Gfp.GFP_KERNEL | Gfp.__GFP_NOFAIL)!);
            }
        }

        int cacheSlot = 0;
        foreach (LpiAtBoot lpi in scenario.Lpis)
        {
            VgicIrq irq = Slab.Kzalloc<VgicIrq>(k, null, Gfp.GFP_KERNEL | Gfp.__GFP_NOFAIL)!;
            g.Register(irq);
            g.InitLpi(irq, lpi.Intid, 0);
            int refs = 0;
            if (lpi.Event is int ev)
            {
                ItsIte ite = Slab.Kzalloc<ItsIte>(k, null, Gfp.GFP_KERNEL | Gfp.__GFP_NOFAIL)!;
                ite.event_id = ev;
                ite.collection = 0;
                ite.irq = irq;
                g.its.itt.Add(ite);
                refs++;

                if (lpi.Cached)
                {
                    refs++;
                    if (variant.PerItsCache())
                    {
                        g.its.translation_cache.Populate(ev, irq);
                    }
                    else if (variant == Variant.SeedV2)
                    {
                        TranslationCacheEntry cte = Slab.Kzalloc<TranslationCacheEntry>(k, null, Gfp.GFP_KERNEL | Gfp.__GFP_NOFAIL)!;
                        cte.eventid = ev;
                        cte.irq = irq;
                        dist.lpi_translation_cache.Add(cte);
                    }
                    else
                    {
                        TranslationCacheEntry cte = dist.lpi_translation_cache[cacheSlot++];
                        cte.eventid = ev;
                        cte.irq = irq;
                    }
                }
            }

            irq.pending_latch = lpi.Pending;
            if (lpi.Queued)
            {
                refs++;
                g.vcpu[0].ap_list.Add(irq);
                irq.vcpu = 0;
            }

            irq.refcount.refcount.Set(refs);
            if (variant.LpiList())
            {
                dist.lpi_list.Add(irq);
                irq.on_lpi_list = true;
            }
            else
            {
                dist.lpi_xa.Populate(lpi.Intid, irq);
            }

            dist.lpi_count++;
        }
    }

    private static void Register(IActorRuntime runtime, VgicLpiParams p)
    {
        if (p.Statistics is not null)
        {
            return;
        }

        foreach (Property property in p.Properties)
        {
            switch (property)
            {
                case Property.NoUseAfterFree: runtime.RegisterMonitor<NoUseAfterFree>(); break;
                case Property.NoGetFromZero: runtime.RegisterMonitor<NoGetFromZero>(); break;
                case Property.SlotIntegrity: runtime.RegisterMonitor<SlotIntegrity>(); break;
                case Property.NoLeak: runtime.RegisterMonitor<NoLeak>(); break;
                case Property.LockClasses: runtime.RegisterMonitor<LockClasses>(); break;
                case Property.CacheCoherence: runtime.RegisterMonitor<CacheCoherence>(); break;
                case Property.InjectionNeverWaitsForGp: runtime.RegisterMonitor<InjectionNeverWaitsForGp>(); break;
                case Property.Publication: runtime.RegisterMonitor<Publication>(); break;
                case Property.ApListIntegrity: runtime.RegisterMonitor<ApListIntegrity>(); break;

                // P-VG-S7 is the kernel's own check: a NULL dereference oopses (Kasan.Deref).
                case Property.NullTolerant: break;
            }
        }
    }
}
