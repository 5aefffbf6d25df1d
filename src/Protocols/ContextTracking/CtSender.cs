using Verify.Actors;
using Verify.Kernel.Machine;
using Verify.Kernel.Text;

namespace Verify.Protocols.ContextTracking;

/// <summary>
/// A housekeeping CPU sending work to the isolated CPUs: x86 text patching
/// (smp_text_poke_batch_finish() of one site: the INT3, the tail bytes, the first byte, each
/// followed by on_each_cpu_cond(cond, do_sync_core)), or a vunmap with its kernel-range flush, or
/// the freeing of a page-table page. on_each_cpu_cond() evaluates cond for each isolated CPU in
/// turn (the setter's steps) and queues the call on it right after, if picked; then it raises the
/// IPI to those it queued on and waits in csd_lock_wait() (asleep here) until each one's csd_unlock(). The sender's own CPU runs the call
/// locally, which changes nothing modelled.
/// The sender starts asleep and is woken once by the test body, and sleeps again when its work is
/// done (a kthread with nothing to do), so every run covers the same states and transitions.
/// </summary>
internal sealed class CtSender : StateMachine
{
    internal static readonly CtCallFunc SyncCore = new DoSyncCore();

    internal static readonly CtCallFunc KernelRangeFlush = new DoKernelRangeFlush();

    private CtKernel k = null!;
    private int hk;
    private string name = "";
    // The program's call frames; empty once it has ended.
    private readonly List<IEnumerator<Stmt>> program = [];
    private bool blocked;

    internal sealed class Setup(CtKernel kernel, int hk) : Event
    {
        internal CtKernel Kernel { get; } = kernel;

        internal int Hk { get; } = hk;
    }

    /// <summary>An isolated CPU's csd_unlock() of this sender's call, or text_mutex released by the other sender.</summary>
    internal sealed class Wake : Event
    {
        internal static readonly Wake Instance = new();
    }

    [Start]
    [OnEntry(nameof(OnSetup))]
    private sealed class Booting : State
    {
    }

    [OnEventDoAction(typeof(DefaultEvent), nameof(Step))]
    [IgnoreEvents(typeof(Wake))]
    private sealed class Running : State
    {
    }

    [OnEventGotoState(typeof(Wake), typeof(Running))]
    private sealed class Sleeping : State
    {
    }


    private void OnSetup(Event e)
    {
        var s = (Setup)e;
        k = s.Kernel;
        hk = s.Hk;
        name = $"hk{hk}";
        program.Add(Program().GetEnumerator());
        RaiseGotoStateEvent<Sleeping>();
    }

    private void Step()
    {
        k.SampleContexts();
        if (!Frames.Next(program, out Stmt stmt))
        {
            // Nothing left to do: the kthread sleeps; a stray wakeup finds nothing and sleeps again.
            Logger.WriteLine($"{name}: done, sleeps");
            RaiseGotoStateEvent<Sleeping>();
            return;
        }

        Logger.WriteLine($"{name}: {stmt.Text}");
        if (blocked)
        {
            blocked = false;
            RaiseGotoStateEvent<Sleeping>();
        }
    }

    private IEnumerable<Stmt> Program() =>
        k.p.Workload is Workload w ? WorkloadProgram(w)
        : k.scenario.Operations is { } ops ? Operations(ops)
        : k.scenario.Sender switch
        {
            Sender.TextPatch or Sender.NoinstrPatch => TextPokeBatch(k.sites[hk]),
            Sender.RangeFlush => Vunmap(hk),
            _ => FreePageTable(hk),
        };

    /// <summary>A generated schedule: the operations one after another (one site of each text kind, one vmalloc area).</summary>
    private IEnumerable<Stmt> Operations(IReadOnlyList<Sender> ops)
    {
        foreach (Sender op in ops)
        {
            IEnumerable<Stmt> code = op switch
            {
                Sender.TextPatch => TextPokeBatch(Site(noinstr: false)),
                Sender.NoinstrPatch => TextPokeBatch(Site(noinstr: true)),
                _ => Vunmap(0),
            };
            yield return Stmt.Call(code);
        }
    }

    private TextSite Site(bool noinstr)
    {
        foreach (TextSite s in k.sites)
        {
            if (s.noinstr == noinstr)
            {
                return s;
            }
        }

        throw new InvalidOperationException($"no {(noinstr ? "noinstr" : "ordinary")} site in this machine's text");
    }

    /// <summary>The statistics' workload: text patches and vunmaps, with other work between them.</summary>
    private IEnumerable<Stmt> WorkloadProgram(Workload w)
    {
        for (int op = 0; op < w.Patches + w.Vunmaps; op++)
        {
            for (int i = 0; i < w.GapSteps; i++)
            {
                yield return "other work";
            }

            yield return Stmt.Call(w.IsPatch(op) ? TextPokeBatch(k.sites[0]) : Vunmap(0));
        }
    }

    /// <summary>smp_text_poke_batch_finish() of one site under text_mutex: three pokes, each followed by a sync of every CPU.</summary>
    private IEnumerable<Stmt> TextPokeBatch(TextSite site)
    {
        while (k.text_mutex >= 0)
        {
            blocked = true;
            yield return "mutex_lock(&text_mutex): sleeps";
        }

        k.text_mutex = hk;
        yield return "mutex_lock(&text_mutex)";

        // cond NULL (IPI everyone) without deferral, and from RFC v3 on when a site is in noinstr/entry text.
        bool defer = k.variant.DefersText() && !(site.noinstr && k.variant.ForcesIpiForNoinstr() && !k.p.MutantNoForcedIpiForNoinstr);
        foreach (string part in new[] { "INT3", "tail bytes", "first byte" })
        {
            int version = site.Poke(k.mem, k.MemCpu(hk));
            yield return $"text_poke({site.name}, {part}): version {version}";
            yield return Stmt.Call(OnEachCpuCond(defer ? CondKind.SyncCoreDefer : CondKind.None, SyncCore, CtKernel.CT_WORK_SYNC, site, version, 0, 0));

            k.Observe(new TextSynced(site.name, version, !defer));
        }

        k.text_mutex = -1;
        foreach (ActorId? other in k.housekeepers)
        {
            if (other is not null && other != Id)
            {
                SendEvent(other, Wake.Instance);
            }
        }

        yield return "mutex_unlock(&text_mutex)";
    }

    /// <summary>
    /// vunmap_range() of area <paramref name="a"/>: the PTE cleared (set_pte(), a WRITE_ONCE), the
    /// kernel-range flush of the version, vfree() of the page, which is reused at once, then a new
    /// area at the same address.
    /// </summary>
    private IEnumerable<Stmt> Vunmap(int a)
    {
        int va = CtKernel.VmallocVa[a];
        int me = k.MemCpu(hk);
        int page = k.mem.ReadOnce(me, k.pte[a]);
        k.mem.WriteOnce(me, k.pte[a], 0);
        k.vunmapped[a] = true;
        yield return $"vunmap_range(0x{va:x}): pte_clear (was pfn {page})";
        yield return Stmt.Call(FlushTlbKernelRange(a, page));

        k.frames.FreePage(page);
        yield return $"vfree: __free_page(pfn {page})";
        int reused = k.frames.AllocPage();
        yield return $"alloc_page() = pfn {reused} (another user)";
        int fresh = k.frames.AllocPage();
        k.mem.WriteOnce(me, k.pte[a], fresh);
        k.vunmapped[a] = false;
        k.Observe(new VmallocMapped(va, fresh));
        yield return $"vmap(0x{va:x}): set_pte(pfn {fresh})";
    }

    /// <summary>
    /// Freeing the page-table page of area <paramref name="a"/>: the PMD cleared, the kernel-range
    /// flush, pte_free_kernel() of the page, which is reused at once.
    /// </summary>
    private IEnumerable<Stmt> FreePageTable(int a)
    {
        int va = CtKernel.VmallocVa[a];
        int me = k.MemCpu(hk);
        int table = k.mem.ReadOnce(me, k.pmd[a]);
        int page = k.mem.ReadOnce(me, k.pte[a]);
        k.mem.WriteOnce(me, k.pmd[a], 0);
        k.vunmapped[a] = true;
        yield return $"vunmap_range(0x{va:x}): pmd_clear (page table pfn {table}, which maps pfn {page})";

        // Unlinking the table unmaps the page it mapped: a translation to it is stale once the flush returns.
        yield return Stmt.Call(FlushTlbKernelRange(a, page));

        k.frames.FreePage(table);
        yield return $"pte_free_kernel(pfn {table})";
        int reused = k.frames.AllocPage();
        yield return $"alloc_page() = pfn {reused} (another user)";
    }

    /// <summary>flush_tlb_kernel_range() as the version has it.</summary>
    private IEnumerable<Stmt> FlushTlbKernelRange(int a, int stalePfn)
    {
        int va = CtKernel.VmallocVa[a];
        CondKind cond = CondKind.None;
        if (k.variant.DefersTlbByWorkBit())
        {
            cond = CondKind.TlbiDefer;
        }
        else if (k.variant.CoalesceTlbi())
        {
            // flush_tlb_kernel_range_deferrable(), after the smp_mb() that pairs with the entry's flag store.
            if (!k.p.MutantNoMbInDeferrableFlush)
            {
                k.mem.SmpMb(k.MemCpu(hk));
                yield return "flush_tlb_kernel_range_deferrable: smp_mb()";
            }

            cond = CondKind.KernelCr3Loaded;
        }

        yield return Stmt.Call(OnEachCpuCond(cond, KernelRangeFlush, CtKernel.CT_WORK_TLBI, null, 0, va, stalePfn));

        k.Observe(new RangeFlushed(name, va, stalePfn));
    }

    private enum CondKind
    {
        None,
        SyncCoreDefer,
        TlbiDefer,
        KernelCr3Loaded,
    }

    /// <summary>
    /// on_each_cpu_cond(cond, func, NULL, 1), as smp_call_function_many_cond() runs it: for each
    /// isolated CPU in turn, cond(cpu) as its own steps (the setter ct_set_cpu_work(cpu), or the read
    /// of per_cpu(kernel_cr3_loaded, cpu)), with no cond every CPU, and where it holds csd_lock() and
    /// llist_add() of the csd to that CPU's call_single_queue right away, before the next CPU's cond;
    /// then send_call_function_ipi_mask() to every CPU queued on; then csd_lock_wait() on each in
    /// turn. The llist_add() of the last CPU in the loop shares the step of the IPI: nothing runs
    /// between them on the sender. The sender's own CPU and the other housekeeping CPUs run the call
    /// locally or are not isolated, which changes nothing modelled.
    /// </summary>
    private IEnumerable<Stmt> OnEachCpuCond(CondKind cond, CtCallFunc func, int bit, TextSite? site, int version, int va, int stalePfn)
    {
        int me = k.MemCpu(hk);
        string where = $"smp_call_function_many_cond({func})";
        CtCpu last = k.cpus[^1];
        var targets = new List<CtCpu>();
        foreach (CtCpu c in k.cpus)
        {
            bool send = true;
            if (cond is CondKind.SyncCoreDefer or CondKind.TlbiDefer)
            {
                var r = new SetterResult();
                yield return Stmt.Call(new CtSetter(k, c, hk, name, site?.name, version, va, stalePfn).CtSetCpuWork(bit, r));

                send = !r.ret;
            }
            else if (cond == CondKind.KernelCr3Loaded)
            {
                // housekeeping_cpu(cpu) is false: the CPU is isolated.
                int loaded = k.mem.ReadOnce(me, c.kernel_cr3_loaded);
                send = loaded != 0;
                yield return $"flush_tlb_kernel_range_deferrable: cond({c.name}): READ_ONCE(per_cpu(kernel_cr3_loaded, {c.cpu})) = {loaded}";
            }

            if (!send)
            {
                continue;
            }

            // csd_lock(), then llist_add() of the csd to the CPU's call_single_queue: a fully ordered cmpxchg.
            k.mem.SmpMb(me);
            c.calls.Add((hk, func));
            c.csd_locked[hk] = true;
            targets.Add(c);
            if (c != last)
            {
                yield return $"{where}: llist_add(csd, &per_cpu(call_single_queue, {c.cpu})) (queue on {c.name})";
            }
        }

        if (targets.Count == 0)
        {
            yield break;
        }

        int mask = 0;
        foreach (CtCpu c in targets)
        {
            k.Observe(new CtIpiSent(c.cpu, func.name, c.context));
            c.ipi_pending = true;
            mask |= 1 << c.cpu;
            if (c.halted)
            {
                SendEvent(c.actor!, IsolatedCpu.Kick.Instance);
            }
        }

        yield return targets[^1] == last
            ? $"{where}: queue on {last.name}, send_call_function_ipi_mask(0x{mask:x})"
            : $"{where}: send_call_function_ipi_mask(0x{mask:x})";
        foreach (CtCpu c in targets)
        {
            while (c.csd_locked[hk])
            {
                blocked = true;
                yield return $"csd_lock_wait({c.name}, {func}): sleeps";
            }

            yield return $"csd_lock_wait({c.name}, {func}) returns";
        }
    }
}
