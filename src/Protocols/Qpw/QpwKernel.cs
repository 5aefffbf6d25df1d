using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Kernel.Sync;
using Verify.Kernel.Work;
using Verify.Specifications;

namespace Verify.Protocols.Qpw;

/// <summary>
/// What one variant adds to the kernel for one caller: D[c] (<see cref="QpwPcp"/>), L[c] as the
/// union qpw_lock_t {local_lock_t ll; spinlock_t sl} of the QPW versions (the older versions use
/// <c>ll</c> only), W[c], and the code that takes them: the fast path, the work function and the
/// accesses to D[c], each statement one step.
/// </summary>
internal sealed class QpwKernel
{
    /// <summary>A caller's pieces; <paramref name="ecpuLocks"/> are the ecpu design's locks of another caller on the same machine, which every caller's emulation shares.</summary>
    internal QpwKernel(KernelState k, Variant variant, Caller caller, CpuIsolation isolation, bool mutantCpuReadBeforePin, PerCpu<KernelLock>? ecpuLocks = null)
    {
        this.k = k;
        Variant = variant;
        Caller = caller;
        Isolation = isolation;
        MutantCpuReadBeforePin = mutantCpuReadBeforePin;
        Names = CallerNames.Of(caller);
        int cpus = k.cpus.Length;
        pcp = new PerCpu<QpwPcp>(cpus, c => new QpwPcp(c));
        var llClass = new LockClass(Names.Lock, LockKind.LocalLock);
        var slClass = new LockClass(Names.Lock + ".sl", LockKind.Spinlock);
        ll = new PerCpu<KernelLock>(cpus, c => new KernelLock(llClass, $"{Names.Lock}[{c}]"));
        sl = new PerCpu<KernelLock>(cpus, c => new KernelLock(slClass, $"{Names.Lock}.sl[{c}]"));
        work = new PerCpu<PcpDrainWork>(cpus, c => new PcpDrainWork(this, c));
        mutex = new KernelLock(new LockClass(Names.Mutex, LockKind.Mutex), Names.Mutex);
        var ecpuClass = new LockClass("ecpu_lock", LockKind.Spinlock);
        ecpuLock = ecpuLocks ?? new PerCpu<KernelLock>(cpus, c => new KernelLock(ecpuClass, $"ecpu_lock[{c}]"));
    }

    private readonly KernelState k;

    [field: Frozen]
    internal Variant Variant { get; }

    [field: Frozen]
    internal Caller Caller { get; }

    [field: Frozen]
    internal CallerNames Names { get; }

    internal CpuIsolation Isolation { get; }

    /// <summary>The deliberately broken fast path for P-QPW-S2: it resolves this CPU's lock before migrate_disable().</summary>
    [field: Frozen]
    internal bool MutantCpuReadBeforePin { get; }

    /// <summary>D[c].</summary>
    internal readonly PerCpu<QpwPcp> pcp;

    /// <summary>L[c].ll: local_lock_t.</summary>
    internal readonly PerCpu<KernelLock> ll;

    /// <summary>L[c].sl: the spinlock_t that QPW's spinlock mode takes from any CPU.</summary>
    internal readonly PerCpu<KernelLock> sl;

    /// <summary>W[c].</summary>
    internal readonly PerCpu<PcpDrainWork> work;

    /// <summary>The drainers' mutex (the LRU's static lock, SLUB's flush_lock, memcg's percpu_charge_mutex).</summary>
    internal readonly KernelLock mutex;

    /// <summary>The ecpu design's per-CPU spinlock_t against nested emulation of one CPU.</summary>
    internal readonly PerCpu<KernelLock> ecpuLock;

    /// <summary>The ecpu design: the requester drains a remote CPU itself, emulating it.</summary>
    internal bool EmulatesCpu => Variant.EmulatesCpu();

    /// <summary>Remote CPUs are drained under their spinlock by the requester, not by their kworker.</summary>
    internal bool RemoteSpinlock => Variant.RemoteSpinlock(Caller);

    /// <summary>
    /// The fast path on the current CPU: lock L, resolve this CPU's D, add one item, unlock, as the
    /// variant writes it. A SLUB trylock that fails takes the slow path, which touches no per-CPU data.
    /// </summary>
    internal IEnumerable<Stmt> FastPath(QpwTask t)
    {
        yield return Stmt.Call(LockedAdd(t));
        if (Variant.LruDrainsOnResume(Caller))
        {
            // The batch is drained on the way back to user space if this CPU is nohz_full.
            bool nohzFull = k.cpus[t.cpu].nohz_full;
            t.lru_drain_pending |= nohzFull;
            yield return $"{Names.FastPath}: tick_nohz_full_cpu(cpu{t.cpu}) = {C(nohzFull)}{(nohzFull ? ": isolated_task_work_queue(lru_add_and_bh_lrus_drain)" : string.Empty)}";
        }
    }

    /// <summary>Lock, resolve this CPU's D, add one item, unlock, as the variant writes it.</summary>
    private IEnumerable<Stmt> LockedAdd(TaskStruct t)
    {
        string op = Names.FastPath;
        bool trylock = Variant.FastPathTrylock(Caller);
        if (RemoteSpinlock)
        {
            int lockCpu;
            if (MutantCpuReadBeforePin)
            {
                lockCpu = t.cpu;
                yield return $"{op}: lock = this_cpu_ptr(&{Names.Lock}.sl) = cpu{lockCpu}'s (before migrate_disable(): the mutant)";
                t.migration_disabled++;
                yield return $"{op}: migrate_disable()";
            }
            else
            {
                t.migration_disabled++;
                yield return Variant == Variant.QpwRfcV1Rt ? $"{op}: qpw_lock(): migrate_disable()"
                    : Variant.V2() ? $"{op}: local_qpw_lock(): migrate_disable()"
                    : $"{op}: migrate_disable()";
                lockCpu = t.cpu;
                yield return Variant.V2()
                    ? $"{op}: local_qpw_lock(): lock = this_cpu_ptr(&{Names.Lock}.sl) (cpu{lockCpu})"
                    : $"{op}: cpu = smp_processor_id() = {lockCpu}";
            }

            KernelLock l = sl[lockCpu];
            if (trylock)
            {
                yield return Stmt.Call(Locking.Trylock(k, t, l));
                if (!l.IsHeldBy(t))
                {
                    t.migration_disabled--;
                    yield return $"{op}: trylock failed: migrate_enable(); slow path (no per-CPU data)";
                    yield break;
                }
            }
            else
            {
                yield return Stmt.Call(Locking.Lock(k, t, l));
            }

            k.Observe(Taken(l, lockCpu, t));
            int d = t.cpu;
            yield return $"{op}: pcp = this_cpu_ptr(&{Names.Data}) (cpu{d})";
            yield return Stmt.Call(AddItem(t, d));
            yield return Stmt.Call(Locking.Unlock(k, t, l));
            t.migration_disabled--;
            yield return $"{op}: migrate_enable()";
            yield break;
        }

        bool callerPins = Variant.CallerPins(Caller);
        if (callerPins)
        {
            t.migration_disabled++;
            yield return $"{op}: migrate_disable()";
            yield return $"{op}: cpu = smp_processor_id() = {t.cpu}";
        }

        if (trylock)
        {
            yield return Stmt.Call(Locking.LocalTrylock(k, t, ll));
            if (!ll[t.cpu].IsHeldBy(t))
            {
                if (callerPins)
                {
                    t.migration_disabled--;
                }

                yield return $"{op}: local_trylock failed: {(callerPins ? "migrate_enable(); " : string.Empty)}slow path (no per-CPU data)";
                yield break;
            }
        }
        else
        {
            yield return Stmt.Call(Locking.LocalLock(k, t, ll));
        }

        int mine = t.cpu;
        k.Observe(Taken(ll[mine], mine, t));
        yield return $"{op}: pcp = this_cpu_ptr(&{Names.Data}) (cpu{mine})";
        yield return Stmt.Call(AddItem(t, mine));
        yield return Stmt.Call(Locking.LocalUnlock(k, t, ll));
        if (callerPins)
        {
            t.migration_disabled--;
            yield return $"{op}: migrate_enable()";
        }
    }

    /// <summary>
    /// The observation of an acquisition of CPU <paramref name="lockCpu"/>'s lock <paramref name="l"/>
    /// by <paramref name="t"/>, just taken: on PREEMPT_RT rt_spin_lock() pins the task, and
    /// local_lock() pins it once more before that, so a pin count above the lock's own is the
    /// caller's migrate_disable().
    /// </summary>
    private QpwLockTaken Taken(KernelLock l, int lockCpu, TaskStruct t)
    {
        int lockPins = !k.config.PreemptRt ? 0 : l.lock_class.Kind switch
        {
            LockKind.LocalLock => 2,
            LockKind.Spinlock => 1,
            _ => 0,
        };
        return new(lockCpu, t.cpu, l.lock_class.Kind, k.config.PreemptRt, t.migration_disabled > lockPins, t is OwnerTask);
    }

    /// <summary>
    /// Drains D[<paramref name="cpu"/>]: under its spinlock from anywhere (QPW's spinlock mode:
    /// qpw_lock(L, cpu) and per_cpu_ptr(D, cpu)), else under the local lock of the CPU the caller
    /// runs on (a kworker bound there, or the CPU's own task), with this_cpu_ptr(D).
    /// </summary>
    internal IEnumerable<Stmt> DrainCpu(TaskStruct t, int cpu)
    {
        string fn = Names.Drain;
        if (RemoteSpinlock)
        {
            bool pin = Variant == Variant.QpwRfcV1Rt;
            if (pin)
            {
                t.migration_disabled++;
                yield return $"{fn}: qpw_lock(): migrate_disable()";
            }

            KernelLock l = sl[cpu];
            yield return Stmt.Call(Locking.Lock(k, t, l));
            k.Observe(Taken(l, cpu, t));
            yield return $"{fn}: pcp = per_cpu_ptr(&{Names.Data}, {cpu})";
            yield return Stmt.Call(TakeAll(t, cpu));
            yield return Stmt.Call(Locking.Unlock(k, t, l));
            if (pin)
            {
                t.migration_disabled--;
                yield return $"{fn}: qpw_unlock(): migrate_enable()";
            }

            yield break;
        }

        yield return Stmt.Call(Locking.LocalLock(k, t, ll));
        int mine = t.cpu;
        k.Observe(Taken(ll[mine], mine, t));
        yield return Variant.Converted(Caller)
            ? $"{fn}: cpu = qpw_get_cpu(w) = smp_processor_id() = {mine}; pcp = per_cpu_ptr(&{Names.Data}, cpu)"
            : $"{fn}: pcp = this_cpu_ptr(&{Names.Data}) (cpu{mine})";
        yield return Stmt.Call(TakeAll(t, mine));
        yield return Stmt.Call(Locking.LocalUnlock(k, t, ll));
    }

    /// <summary>
    /// queue_percpu_work_on(cpu) in the ecpu design: under the per-CPU emulation lock of
    /// <paramref name="cpu"/>, the caller's ecpu becomes <paramref name="cpu"/>, the unconverted
    /// work function runs at once (local_lock() is migrate_disable() and spin_lock(this_cpu_ptr(&amp;L)),
    /// this_cpu_ptr() resolving through ecpu, so L[cpu] and D[cpu]), and ecpu is restored.
    /// </summary>
    internal IEnumerable<Stmt> EmulatedDrain(Drainer t, int cpu)
    {
        string fn = Names.Drain;
        yield return $"{Names.DrainAll}: queue_percpu_work_on(cpu{cpu}): emulate cpu{cpu}";
        yield return Stmt.Call(Locking.Lock(k, t, ecpuLock[cpu]));
        int saved = t.ecpu;
        t.ecpu = cpu;
        yield return $"queue_percpu_work_on(cpu{cpu}): current_thread_info()->ecpu = {cpu}";
        t.migration_disabled++;
        yield return $"{fn}: local_lock: migrate_disable()";
        int e = t.ecpu;
        yield return $"{fn}: local_lock: this_cpu_ptr(&{Names.Lock}) = cpu{e}'s (ecpu {e})";
        KernelLock l = ll[e];
        yield return Stmt.Call(Locking.Lock(k, t, l));
        k.Observe(Taken(l, e, t));
        yield return $"{fn}: pcp = this_cpu_ptr(&{Names.Data}) (ecpu {e})";
        yield return Stmt.Call(TakeAll(t, e));
        yield return Stmt.Call(Locking.Unlock(k, t, l));
        t.migration_disabled--;
        yield return $"{fn}: local_unlock: migrate_enable()";
        t.ecpu = saved;
        yield return $"queue_percpu_work_on(cpu{cpu}): current_thread_info()->ecpu = {(saved < 0 ? "smp_processor_id()" : saved)} (restored)";
        yield return Stmt.Call(Locking.Unlock(k, t, ecpuLock[cpu]));
    }

    /// <summary>One item into D[d]: a load and a store, two steps (the caller holds what its version says it must).</summary>
    private IEnumerable<Stmt> AddItem(TaskStruct t, int d)
    {
        QpwPcp p = pcp[d];
        int v = p.nr;
        Accessed(t, d, store: false);
        yield return $"{Names.FastPath}: nr = {Names.Data}[{d}].nr ({v})";
        p.nr = v + 1;
        p.added++;
        Accessed(t, d, store: true);
        yield return $"{Names.FastPath}: {Names.Data}[{d}].nr = {v + 1}";
    }

    /// <summary>Every item out of D[d]: a load and a store of 0; memcg then clears FLUSHING_CACHED_CHARGE, one more step.</summary>
    private IEnumerable<Stmt> TakeAll(TaskStruct t, int d)
    {
        QpwPcp p = pcp[d];
        int v = p.nr;
        Accessed(t, d, store: false);
        yield return $"{Names.Drain}: nr = {Names.Data}[{d}].nr ({v})";
        p.nr = 0;
        p.drained += v;
        Accessed(t, d, store: true);
        yield return $"{Names.Drain}: {Names.Data}[{d}].nr = 0 ({v} drained)";
        if (Caller == Caller.Memcg)
        {
            p.flushing = false;
            k.Observe(new FlushingBit(d, set: false));
            yield return $"{Names.Drain}: clear_bit(FLUSHING_CACHED_CHARGE, &{Names.Data}[{d}].flags)";
        }
    }

    private void Accessed(TaskStruct t, int d, bool store)
    {
        QpwPcp p = pcp[d];
        k.Observe(new PcpAccessed(d, t.comm, t.cpu, LockCpuHeldBy(t), store, p.nr, p.added, p.drained, Caller));
    }

    /// <summary>The CPU whose QPW lock (ll or sl) <paramref name="t"/> holds, -1 for none.</summary>
    private int LockCpuHeldBy(TaskStruct t)
    {
        for (int c = 0; c < pcp.Count; c++)
        {
            if (ll[c].IsHeldBy(t) || sl[c].IsHeldBy(t))
            {
                return c;
            }
        }

        return -1;
    }

    /// <summary>A C truth value as traces print it.</summary>
    internal static string C(bool b) => b ? "true" : "false";

    /// <summary>Each CPU's ledger column, for the drain events.</summary>
    internal int[] Ledger(Func<QpwPcp, int> column)
    {
        int[] a = new int[pcp.Count];
        for (int c = 0; c < a.Length; c++)
        {
            a[c] = column(pcp[c]);
        }

        return a;
    }
}
