using Verify.Kernel.ContextTracking;
using Verify.Kernel.Machine;

namespace Verify.Protocols.ContextTracking;

/// <summary>
/// An isolated CPU's side of context tracking, statement by statement: ct_kernel_enter_state()
/// with ct_work_flush(), ct_kernel_exit_state() per version, and what its kernel code touches,
/// each on the CPU's own per-CPU state (<paramref name="c"/>). Each <c>yield</c> ends one step; the
/// effects before it are that step's.
/// </summary>
internal sealed class CtCode(CtKernel k, CtCpu c)
{
    private int Cpu => c.cpu;

    /// <summary>Entry code has not reached the end of ct_work_flush() yet (the danger zone).</summary>
    internal bool danger_zone { get; set; }

    /// <summary>
    /// The entry asm of v6 (CONFIG_COALESCE_TLBI, PTI, nohz_full): switch to the kernel CR3, flush
    /// the TLB unconditionally, set kernel_cr3_loaded. A write to CR3 is a serializing instruction
    /// on x86, so from here the CPU fetches every text site as memory holds it (as after sync_core()).
    /// Then entry code that runs a noinstr site (context_tracking_key's branch in the entry path)
    /// before the context-tracking transition.
    /// </summary>
    internal IEnumerable<Stmt> EntryAsm(string path)
    {
        danger_zone = true;
        if (k.variant.CoalesceTlbi() && k.p.FixKernelCr3LoadedOrder)
        {
            // The fixed order: the flag first, so it reads 1 whenever the kernel CR3 is loaded.
            k.mem.WriteOnce(Cpu, c.kernel_cr3_loaded, 1);
            yield return $"{path}: kernel_cr3_loaded = 1 (before the kernel CR3)";

            // The CR3 write serializes: the flag's store is drained before any walk on the kernel CR3.
            k.mem.SyncCore(Cpu);
            c.view.SyncCore(k.mem);
            yield return $"{path}: SWITCH_TO_KERNEL_CR3";
            c.tlb.FlushAll();
            Array.Clear(c.pwc);
            yield return $"{path}: __flush_tlb_all() (COALESCE_TLBI entry flush)";

            // The same boundary as in the posted order, now with the flag set.
            yield return Stmt.Call(KernelCr3Window(path, "after the entry flush, kernel_cr3_loaded already 1"));
        }
        else if (k.variant.CoalesceTlbi())
        {
            c.view.SyncCore(k.mem);
            yield return $"{path}: SWITCH_TO_KERNEL_CR3";
            c.tlb.FlushAll();
            Array.Clear(c.pwc);
            yield return $"{path}: __flush_tlb_all() (COALESCE_TLBI entry flush)";
            yield return Stmt.Call(KernelCr3Window(path, "after the entry flush, before kernel_cr3_loaded = 1"));

            k.mem.WriteOnce(Cpu, c.kernel_cr3_loaded, 1);
            yield return $"{path}: kernel_cr3_loaded = 1";
        }

        yield return Stmt.Call(RunNoinstrSites(path));
    }

    /// <summary>The noinstr sites entry code runs (NoinstrPatch only), before ct_work_flush() when in the danger zone.</summary>
    internal IEnumerable<Stmt> RunNoinstrSites(string path)
    {
        foreach (var site in k.sites)
        {
            if (!site.noinstr)
            {
                continue;
            }

            int seen = c.view.Seen(site);
            k.Observe(new TextExecuted(Cpu, site.name, seen, danger_zone));
            yield return $"{path}: static_branch({site.name}) executes version {seen}";
        }
    }

    /// <summary>
    /// ct_kernel_enter_state(offset): seq = atomic_add_return(offset, &amp;ct->state), RCU watches;
    /// then ct_work_flush(seq) (RFC v1: the work word exchanged with 0 first), one step per work bit.
    /// </summary>
    internal IEnumerable<Stmt> KernelEnterState(int offset, string path, CtState context)
    {
        int seq = k.mem.AtomicAddReturn(Cpu, c.ctState, offset);
        c.context = context;
        c.word_writes++;
            k.Observe(new CtAtomic(Cpu, path));
        int bits = k.variant.WorkInState() && !k.p.MutantEntryDropsWork ? (seq & k.WorkMask) >> k.ct.CT_WORK_START : 0;
        if (bits != 0)
        {
            k.Observe(new WorkTaken(Cpu, bits));
        }

        yield return $"{path}: ct_kernel_enter_state(): seq = atomic_add_return(0x{offset:x}, &ct->state) = 0x{seq:x}";
        if (k.variant.SeparateWorkAtomic())
        {
            bits = k.mem.Xchg(Cpu, c.ctWork, 0) & (k.p.MutantEntryDropsWork ? 0 : -1);
            c.word_writes++;
            k.Observe(new CtAtomic(Cpu, path));
            if (bits != 0)
            {
                k.Observe(new WorkTaken(Cpu, bits));
            }

            yield return $"{path}: work = atomic_xchg(&ct->work, 0) = 0x{bits:x}";
        }

        yield return Stmt.Call(WorkFlush(bits, path));

        danger_zone = false;
        k.Observe(new TransitionDone(Cpu, path));
    }

    /// <summary>ct_work_flush(): arch_context_tracking_work() for each set bit.</summary>
    private IEnumerable<Stmt> WorkFlush(int bits, string path)
    {
        if ((bits & (1 << CtKernel.CT_WORK_SYNC)) != 0)
        {
            c.view.SyncCore(k.mem);
            k.Observe(new FlushSynced(Cpu, k.sites.ToDictionary(s => s.name, s => c.view.Seen(s))));
            yield return $"{path}: ct_work_flush(): arch_context_tracking_work(CT_WORK_SYNC): sync_core()";
        }

        if ((bits & (1 << CtKernel.CT_WORK_TLBI)) != 0)
        {
            c.tlb.FlushAll();
            Array.Clear(c.pwc);
            yield return $"{path}: ct_work_flush(): arch_context_tracking_work(CT_WORK_TLBI): __flush_tlb_all_noinstr()";
        }
    }

    /// <summary>
    /// ct_kernel_exit_state(offset): without work bits in the word one atomic_add_return(); with
    /// them ct_state_inc_clear_work(): do { old = atomic_read(); new = (old &amp; ~CT_WORK_MASK) +
    /// offset; } while (atomic_cmpxchg(&amp;ct->state, old, new) != old), each access a step.
    /// </summary>
    internal IEnumerable<Stmt> KernelExitState(int offset, string path, CtState context)
    {
        if (!k.variant.WorkInState())
        {
            int seq = k.mem.AtomicAddReturn(Cpu, c.ctState, offset);
            c.context = context;
            c.word_writes++;
            k.Observe(new CtAtomic(Cpu, path));
            k.Observe(new TransitionDone(Cpu, path));
            yield return $"{path}: ct_kernel_exit_state(): atomic_add_return(0x{offset:x}, &ct->state) = 0x{seq:x}";
            yield break;
        }

        while (true)
        {
            int old = k.mem.AtomicRead(Cpu, c.ctState);
            yield return $"{path}: ct_state_inc_clear_work(): old = atomic_read(&ct->state) = 0x{old:x}";
            int @new = (old & ~k.WorkMask) + offset;
            int found = k.mem.AtomicCmpxchg(Cpu, c.ctState, old, @new);
            c.word_writes++;
            k.Observe(new CtAtomic(Cpu, path));
            if (found == old)
            {
                c.context = context;
                int cleared = (old & k.WorkMask) >> k.ct.CT_WORK_START;
                if (cleared != 0)
                {
                    k.Observe(new WorkCleared(Cpu, cleared));
                }

                k.Observe(new TransitionDone(Cpu, path));
                yield return $"{path}: ct_state_inc_clear_work(): atomic_cmpxchg(&ct->state, 0x{old:x}, 0x{@new:x}) succeeds";
                yield break;
            }

            yield return $"{path}: ct_state_inc_clear_work(): atomic_cmpxchg(&ct->state, 0x{old:x}, 0x{@new:x}) fails (0x{found:x})";
        }
    }

    /// <summary>v6's exit asm: kernel_cr3_loaded = 0, then the switch to the user CR3 (reversed with <see cref="CtParams.FixKernelCr3LoadedOrder"/>).</summary>
    internal IEnumerable<Stmt> ExitAsm(string path)
    {
        if (k.variant.CoalesceTlbi() && k.p.FixKernelCr3LoadedOrder)
        {
            yield return Stmt.Call(KernelCr3Window(path, "on the kernel CR3, kernel_cr3_loaded still 1"));

            k.mem.SyncCore(Cpu);
            yield return $"{path}: SWITCH_TO_USER_CR3";
            k.mem.WriteOnce(Cpu, c.kernel_cr3_loaded, 0);
            yield return $"{path}: kernel_cr3_loaded = 0 (after the user CR3)";
        }
        else if (k.variant.CoalesceTlbi())
        {
            k.mem.WriteOnce(Cpu, c.kernel_cr3_loaded, 0);
            yield return $"{path}: kernel_cr3_loaded = 0";
            yield return Stmt.Call(KernelCr3Window(path, "after kernel_cr3_loaded = 0, before the user CR3"));

            k.mem.SyncCore(Cpu);
            yield return $"{path}: SWITCH_TO_USER_CR3";
        }
    }

    /// <summary>
    /// Chooses, at a step boundary, whether the hardware makes its one speculative page walk now.
    /// Set by the CPU's actor (a nondeterministic choice of the schedule); null: never. Code, not
    /// state: it asks the actor's RandomBoolean(), whose answers the search enumerates.
    /// </summary>
    [field: Verify.Specifications.NotHashed]
    internal Func<bool>? Choose { get; init; }

    /// <summary>
    /// v6's windows on the kernel CR3 while kernel_cr3_loaded reads 0 (after the entry flush and
    /// before the flag is set; after the exit clears the flag and before the user CR3): the hardware
    /// may walk the page tables speculatively there and fill the TLB and the paging-structure cache
    /// for the vmalloc range, one walk (one step per area) per CPU and run, at the boundary the
    /// schedule chooses. Not in the statistics' workload (a walk changes no IPI count).
    /// </summary>
    private IEnumerable<Stmt> KernelCr3Window(string path, string where)
    {
        if (k.pte.Length == 0 || k.p.Workload is not null || c.kernel_cr3_walked || Choose is null || !Choose())
        {
            yield break;
        }

        c.kernel_cr3_walked = true;
        for (int a = 0; a < k.pte.Length; a++)
        {
            yield return SpeculativeFill(a, $"{path}: {where}");
        }
    }

    /// <summary>A speculative walk of vmalloc area <paramref name="a"/> on the kernel CR3: no access by code, but the TLB and the paging-structure cache filled from what the walk reads.</summary>
    private string SpeculativeFill(int a, string where)
    {
        int va = CtKernel.VmallocVa[a];
        int table = c.pwc[a];
        if (table != 0)
        {
            k.Observe(new PageTableWalked(Cpu, table, k.frames.IsFree(table) || table != k.mem.ValueOf(k.pmd[a]), va));
        }
        else
        {
            table = k.mem.ReadOnce(Cpu, k.pmd[a]);
            c.pwc[a] = table;
        }

        if (table == 0)
        {
            return $"{where}: speculative page walk of 0x{va:x}: PMD empty";
        }

        int pfn = k.mem.ReadOnce(Cpu, k.pte[a]);
        k.Observe(new PageWalked(Cpu, va, pfn));
        if (pfn == 0)
        {
            return $"{where}: speculative page walk of 0x{va:x} through page table pfn {table}: no PTE";
        }

        c.tlb.Fill(va, pfn);
        return $"{where}: speculative page walk of 0x{va:x} through page table pfn {table}: TLB filled with pfn {pfn}";
    }

    /// <summary>User to kernel: entry asm, then __ct_user_exit() (ct_kernel_enter_state(CT_RCU_WATCHING - CT_STATE_USER)).</summary>
    internal IEnumerable<Stmt> EnterFromUser(string path) =>
        EntryAsm(path).Concat(KernelEnterState(k.ct.CT_RCU_WATCHING - ContextTrackingState.CT_STATE_USER, $"{path}: __ct_user_exit", CtState.Kernel));

    /// <summary>Kernel to user: __ct_user_enter(CT_STATE_USER) (ct_kernel_exit_state(CT_RCU_WATCHING + CT_STATE_USER)), then the exit asm.</summary>
    internal IEnumerable<Stmt> ExitToUser(string path) =>
        KernelExitState(k.ct.CT_RCU_WATCHING + ContextTrackingState.CT_STATE_USER, $"{path}: __ct_user_enter", CtState.User).Concat(ExitAsm(path));

    /// <summary>
    /// ct_nmi_enter() (also ct_irq_enter() from idle): when RCU is not watching,
    /// ct_kernel_enter_state(CT_RCU_WATCHING), which leaves the state bits as they are (USER, IDLE).
    /// </summary>
    internal IEnumerable<Stmt> NmiEnter(string path, bool fromUser)
    {
        yield return Stmt.Call(fromUser ? EntryAsm(path) : EnterDangerZone(path));

        yield return Stmt.Call(KernelEnterState(k.ct.CT_RCU_WATCHING, $"{path}: ct_nmi_enter", c.context));
    }

    /// <summary>ct_nmi_exit(): ct_kernel_exit_state(CT_RCU_WATCHING), back to the EQS it interrupted (and the exit asm from user).</summary>
    internal IEnumerable<Stmt> NmiExit(string path, bool toUser) =>
        KernelExitState(k.ct.CT_RCU_WATCHING, $"{path}: ct_nmi_exit", c.context).Concat(toUser ? ExitAsm(path) : []);

    /// <summary>ct_nmi_enter() in the kernel: RCU already watches, so only ct->nmi_nesting counts it; no atomic, no flush, no danger zone.</summary>
    internal IEnumerable<Stmt> NmiEnterFromKernel(string path)
    {
        yield return $"{path}: ct_nmi_enter(): RCU already watching, ct->nmi_nesting++";
        yield return Stmt.Call(RunNoinstrSites(path));
    }

    /// <summary>ct_nmi_exit() back to the kernel: ct->nmi_nesting--, RCU keeps watching.</summary>
    internal IEnumerable<Stmt> NmiExitToKernel(string path)
    {
        yield return $"{path}: ct_nmi_exit(): ct->nmi_nesting--";
    }

    /// <summary>
    /// An NMI nested in an entry path (exc_nmi from kernel mode: irqentry_nmi_enter(), the handler,
    /// irqentry_nmi_exit()), landing anywhere from the entry's first instruction to the end of its
    /// ct_work_flush(). ct_nmi_enter(): if rcu_is_watching_curr_cpu() (a read of ct->state) finds
    /// CT_RCU_WATCHING clear, the entry has not made its atomic yet: ct_kernel_enter_state(CT_RCU_WATCHING)
    /// with its own ct_work_flush(), and incby = 1; else RCU is already watching and incby = 2, no
    /// atomic, no flush; then WRITE_ONCE(ct->nmi_nesting, ct_nmi_nesting() + incby). The handler runs
    /// the ordinary patched sites. ct_nmi_exit(): if ct_nmi_nesting() != 1 it only subtracts 2;
    /// else WRITE_ONCE(ct->nmi_nesting, 0) and ct_kernel_exit_state(CT_RCU_WATCHING). The
    /// interrupted entry then goes on in its own danger zone. The NMI's CR3 handling is not modelled
    /// (these scenarios touch no vmalloc memory).
    /// </summary>
    internal IEnumerable<Stmt> NmiInEntry(string path)
    {
        bool interrupted_danger_zone = danger_zone;
        CtState interrupted_context = c.context;

        // The NMI's noinstr entry code runs before any flush of its own.
        yield return Stmt.Call(RunNoinstrSites(path));

        int state = k.mem.AtomicRead(Cpu, c.ctState);
        bool watching = (state & k.ct.CT_RCU_WATCHING) != 0;
        yield return $"{path}: ct_nmi_enter(): rcu_is_watching_curr_cpu(): raw_atomic_read(&ct->state) = 0x{state:x}: RCU {(watching ? "watching" : "not watching")}";
        int incby = 2;
        if (!watching)
        {
            danger_zone = true;
            yield return Stmt.Call(KernelEnterState(k.ct.CT_RCU_WATCHING, $"{path}: ct_nmi_enter", interrupted_context));

            incby = 1;
        }

        c.nmi_nesting += incby;
        yield return $"{path}: ct_nmi_enter(): WRITE_ONCE(ct->nmi_nesting, {c.nmi_nesting})";
        yield return Stmt.Call(KernelCode("exc_nmi"));

        if (c.nmi_nesting != 1)
        {
            c.nmi_nesting -= 2;
            yield return $"{path}: ct_nmi_exit(): ct_nmi_nesting() != 1, WRITE_ONCE(ct->nmi_nesting, {c.nmi_nesting}), RCU keeps watching";
        }
        else
        {
            c.nmi_nesting = 0;
            yield return $"{path}: ct_nmi_exit(): ct_nmi_nesting() == 1, WRITE_ONCE(ct->nmi_nesting, 0)";
            yield return Stmt.Call(KernelExitState(k.ct.CT_RCU_WATCHING, $"{path}: ct_nmi_exit", interrupted_context));
        }

        danger_zone = interrupted_danger_zone;
        yield return $"{path}: iret to the interrupted entry";
    }

    /// <summary>Entry from idle or a guest: no CR3 switch (the kernel's is loaded), but entry code runs noinstr sites before the flush.</summary>
    internal IEnumerable<Stmt> EnterDangerZone(string path)
    {
        danger_zone = true;
        return RunNoinstrSites(path);
    }

    /// <summary>guest_state_exit_irqoff() -> ct_user_exit(CT_STATE_GUEST): ct_kernel_enter_state(CT_RCU_WATCHING - CT_STATE_GUEST).</summary>
    internal IEnumerable<Stmt> GuestExit(string path) =>
        EnterDangerZone(path).Concat(KernelEnterState(k.ct.CT_RCU_WATCHING - ContextTrackingState.CT_STATE_GUEST, $"{path}: guest_state_exit_irqoff", CtState.Kernel));

    /// <summary>guest_state_enter_irqoff() -> ct_user_enter(CT_STATE_GUEST).</summary>
    internal IEnumerable<Stmt> GuestEnter(string path) =>
        KernelExitState(k.ct.CT_RCU_WATCHING + ContextTrackingState.CT_STATE_GUEST, $"{path}: guest_state_enter_irqoff", CtState.Guest);

    /// <summary>
    /// The kernel code the activity runs once RCU watches: the patched ordinary sites, or the
    /// vmalloc addresses (each touch a TLB lookup, else a page walk through the paging-structure
    /// cache or from the PMD).
    /// </summary>
    internal IEnumerable<Stmt> KernelCode(string path)
    {
        bool onlyNoinstr = k.sites.Length > 0;
        foreach (var site in k.sites)
        {
            if (site.noinstr)
            {
                continue;
            }

            onlyNoinstr = false;
            int seen = c.view.Seen(site);

            // An ordinary site is instrumentable text, never entry code: whatever entry it runs
            // after (an NMI nested in an entry included), running it stale is outside the danger zone.
            k.Observe(new TextExecuted(Cpu, site.name, seen, dangerZone: false));
            yield return $"{path}: static_branch({site.name}) executes version {seen}";
        }

        if (onlyNoinstr)
        {
            yield return $"{path}: kernel code";
        }

        for (int round = 0; round < 2 && k.pte.Length > 0; round++)
        {
            for (int a = 0; a < k.pte.Length; a++)
            {
                yield return Touch(a, path);
            }
        }
    }

    /// <summary>
    /// The hardware walks the page tables speculatively, at any time and in any mode, through the
    /// paging-structure cache: from user space too, where the kernel's tables are reachable unless
    /// the user CR3 leaves them out (v6 runs with PTI and switches to the user CR3 on exit). A walk
    /// through a freed (and reused) page-table page loads garbage into the TLB.
    /// </summary>
    internal string SpeculativeWalk(string where)
    {
        if (k.variant.CoalesceTlbi())
        {
            return $"{where}: speculative page walk: the user CR3 maps no vmalloc page tables";
        }

        for (int a = 0; a < c.pwc.Length; a++)
        {
            int table = c.pwc[a];
            if (table != 0)
            {
                k.Observe(new PageTableWalked(Cpu, table, k.frames.IsFree(table) || table != k.mem.ValueOf(k.pmd[a]), CtKernel.VmallocVa[a]));
                return $"{where}: speculative page walk of 0x{CtKernel.VmallocVa[a]:x} through the cached page table pfn {table}";
            }
        }

        return $"{where}: speculative page walk: nothing cached";
    }

    /// <summary>One access to vmalloc area <paramref name="a"/>: its TLB entry, else a page walk (a load of the PTE, through a cached or freshly read PMD).</summary>
    private string Touch(int a, string path)
    {
        int va = CtKernel.VmallocVa[a];
        if (k.vunmapped[a])
        {
            // Code uses a vmalloc area only while it is mapped: vunmap() runs after its users are done,
            // and the next user comes after vmap() has set the new PTE.
            return $"{path}: vmalloc 0x{va:x} is being vunmapped: not accessed until it is mapped again";
        }

        int cached = c.tlb.Lookup(va);
        if (cached != 0)
        {
            k.Observe(new VmallocTouched(Cpu, va, cached, true, k.mem.ValueOf(k.pte[a])));
            return $"{path}: READ vmalloc 0x{va:x}: TLB hit, pfn {cached}";
        }

        int table = c.pwc[a];
        if (table != 0)
        {
            k.Observe(new PageTableWalked(Cpu, table, k.frames.IsFree(table) || table != k.mem.ValueOf(k.pmd[a]), CtKernel.VmallocVa[a]));
        }
        else
        {
            table = k.mem.ReadOnce(Cpu, k.pmd[a]);
            c.pwc[a] = table;
        }

        if (table == 0)
        {
            return $"{path}: READ vmalloc 0x{va:x}: PMD empty, vmalloc fault";
        }

        int pfn = k.mem.ReadOnce(Cpu, k.pte[a]);
        k.Observe(new PageWalked(Cpu, va, pfn));
        if (pfn == 0)
        {
            return $"{path}: READ vmalloc 0x{va:x}: page walk finds no PTE, vmalloc fault";
        }

        c.tlb.Fill(va, pfn);
        k.Observe(new VmallocTouched(Cpu, va, pfn, false, k.mem.ValueOf(k.pte[a])));
        return $"{path}: READ vmalloc 0x{va:x}: page walk, pfn {pfn}";
    }
}
