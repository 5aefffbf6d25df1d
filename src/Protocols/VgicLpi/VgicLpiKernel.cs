using Verify.Kernel.Lifetime;
using Verify.Kernel.Machine;
using Verify.Kernel.Memory;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sched;
using Verify.Kernel.Sync;
using Verify.Specifications;

namespace Verify.Protocols.VgicLpi;

/// <summary>
/// The vGIC's LPI code of one kernel version, statement by statement: lookups and references
/// (this file), the translation cache and injection, the ap_list, and the ITS commands (the other
/// parts of this class). One shared-memory access, lock operation or reference-count operation per
/// step; the list walks under a lock are one step each.
/// </summary>
public sealed partial class VgicLpiKernel
{
    public const int VGIC_MIN_LPI = 8192;

    internal VgicLpiKernel(KernelState k, SharedMemory mem, Variant variant, VgicLpiParams p, int vcpus)
    {
        this.k = k;
        this.mem = mem;
        V = variant;
        P = p;
        vcpu = Enumerable.Range(0, vcpus).Select(i => new VgicCpu(i)).ToArray();
    }

    internal readonly KernelState k;

    /// <summary>The memory of the run's mode, holding what lockless lookups load (VgicLpiKernel.Memory.cs).</summary>
    internal SharedMemory mem { get; }

    [field: Frozen]
    internal Variant V { get; }

    [field: Frozen]
    internal VgicLpiParams P { get; }

    public VgicDist dist { get; } = new();

    public VgicIts its { get; } = new();

    public VgicCpu[] vcpu { get; }

    /// <summary>Actors still running; the last one to finish reports lpi_count against the live entries.</summary>
    internal int actors_running { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>An actor is done; the last one observes the LPI accounting of the quiet machine.</summary>
    internal void ActorDone()
    {
        if (--actors_running == 0)
        {
            k.Observe(new LpisQuiesced(dist.lpi_count, V.LpiList() ? dist.lpi_list.Count : dist.lpi_xa.Count));
        }
    }

    // ---- locks, counted for the statistics ----

    internal IEnumerable<Stmt> RawSpinLockIrqsave(TaskStruct t, KernelLock l, IrqFlags flags)
    {
        k.Observe(new VgicLockTaken(l.lock_class.Name));
        return IrqFlags.SpinLockIrqsave(k, t, l, flags);
    }

    internal IEnumerable<Stmt> RawSpinUnlockIrqrestore(TaskStruct t, KernelLock l, IrqFlags flags) => IrqFlags.SpinUnlockIrqrestore(k, t, l, flags);

    /// <summary>raw_spin_lock() inside a section that already has interrupts off.</summary>
    internal IEnumerable<Stmt> RawSpinLock(TaskStruct t, KernelLock l)
    {
        k.Observe(new VgicLockTaken(l.lock_class.Name));
        return Locking.Lock(k, t, l);
    }

    internal IEnumerable<Stmt> RawSpinUnlock(TaskStruct t, KernelLock l) => Locking.Unlock(k, t, l);

    internal IEnumerable<Stmt> MutexLock(TaskStruct t, KernelLock l)
    {
        k.Observe(new VgicLockTaken(l.lock_class.Name));
        return l == its.its_lock ? ItsLockInMemory(t, Locking.Lock(k, t, l), acquire: true) : Locking.Lock(k, t, l);
    }

    internal IEnumerable<Stmt> MutexUnlock(TaskStruct t, KernelLock l) =>
        l == its.its_lock ? ItsLockInMemory(t, Locking.Unlock(k, t, l), acquire: false) : Locking.Unlock(k, t, l);

    /// <summary>An xa_* call that takes xa_lock itself, counted as an acquisition of it.</summary>
    internal IEnumerable<Stmt> XaLocked(IEnumerable<Stmt> call)
    {
        k.Observe(new VgicLockTaken("&xa->xa_lock"));
        return call;
    }

    // ---- references ----

    /// <summary>vgic_get_irq_kref(): kref_get(), for a reference the caller's own proves nonzero.</summary>
    internal void VgicGetIrqKref(VgicIrq irq) => irq.refcount.Get(k);

    /// <summary>vgic_try_get_irq_kref(): irq &amp;&amp; kref_get_unless_zero().</summary>
    internal bool VgicTryGetIrqKref(VgicIrq? irq) => irq is not null && irq.refcount.GetUnlessZero(k);

    /// <summary>vgic_get_irq() of an LPI: vgic_get_lpi(), a reference or NULL; <paramref name="how"/> says how it was found.</summary>
    internal IEnumerable<Stmt> VgicGetLpi(TaskStruct t, int intid, Ret<VgicIrq> ret, Lookup? how = null)
    {
        ret.value = null;
        if (V.LpiList())
        {
            var flags = new IrqFlags();
            yield return Stmt.Call(RawSpinLockIrqsave(t, dist.lpi_list_lock, flags));
            VgicIrq? found = dist.lpi_list.FirstOrDefault(i => i.intid == intid);
            yield return $"vgic_get_lpi: list_for_each_entry(lpi_list_head) finds {found?.ToString() ?? "nothing"} at {intid}";
            if (found is not null)
            {
                VgicGetIrqKref(found);
                ret.value = found;
                yield return $"vgic_get_irq_kref({found})";
            }

            yield return Stmt.Call(RawSpinUnlockIrqrestore(t, dist.lpi_list_lock, flags));
            yield break;
        }

        yield return Stmt.Call(RcuReadSide.RcuReadLock(k, t));
        VgicIrq? irq = XaLoadRcu(t, dist.lpi_xa, intid, out Dependency dep);
        if (how is not null)
        {
            how.Rcu = true;
            how.Dep = dep;
        }

        yield return $"vgic_get_lpi: irq = xa_load(&dist->lpi_xa, {intid}) = {irq?.ToString() ?? "NULL"}";
        if (irq is not null && P.MutantGetLpiWithoutTryGet)
        {
            VgicGetIrqKref(irq);
            ret.value = irq;
            yield return $"vgic_get_irq_kref({irq})";
        }
        else if (irq is not null)
        {
            bool got = VgicTryGetIrqKref(t, irq, dep);
            ret.value = got ? irq : null;
            yield return $"vgic_try_get_irq_kref({irq}) = {got}";
        }

        yield return Stmt.Call(RcuReadSide.RcuReadUnlock(k, t));
    }

    /// <summary>vgic_put_irq() of this version.</summary>
    internal IEnumerable<Stmt> VgicPutIrq(TaskStruct t, VgicIrq irq)
    {
        if (V.LpiList() && P.MutantPutWithoutListLock)
        {
            // The mutant: the count drops outside the lock, and only the last put takes it to unlink and free.
            bool last = irq.refcount.Put(k, t, KrefRelease.Noop);
            yield return $"kref_put(&{irq}->refcount, vgic_irq_release) = {(last ? 1 : 0)}";
            if (last)
            {
                var lastFlags = new IrqFlags();
                yield return Stmt.Call(RawSpinLockIrqsave(t, dist.lpi_list_lock, lastFlags));
                yield return Stmt.Call(VgicIrqRelease(t, irq));
                yield return Stmt.Call(RawSpinUnlockIrqrestore(t, dist.lpi_list_lock, lastFlags));
            }

            yield break;
        }

        if (V.LpiList())
        {
            var flags = new IrqFlags();
            yield return Stmt.Call(RawSpinLockIrqsave(t, dist.lpi_list_lock, flags));
            yield return Stmt.Call(VgicPutLpiLocked(t, irq));
            yield return Stmt.Call(RawSpinUnlockIrqrestore(t, dist.lpi_list_lock, flags));
            yield break;
        }

        if (V == Variant.V7_2)
        {
            var f = new IrqFlags();
            yield return Stmt.Call(irq.refcount.refcount.DecAndLockIrqsave(k, t, dist.lpi_xa.xa_lock, f));
            if (dist.lpi_xa.xa_lock.IsHeldBy(t))
            {
                k.Observe(new VgicLockTaken("&xa->xa_lock"));
                yield return Stmt.Call(VgicReleaseLpiLocked(t, irq));
                yield return Stmt.Call(dist.lpi_xa.XaUnlockIrqrestore(k, t, f));
            }

            yield break;
        }

        if (V == Variant.V6_17)
        {
            // A lockdep kernel takes and drops xa_lock first, so a caller under a raw lock is
            // reported whether or not this put is the last. Debugging code only: the statistics
            // do not count it.
            var early = new IrqFlags();
            yield return Stmt.Call(dist.lpi_xa.XaLockIrqsave(k, t, early));
            yield return Stmt.Call(dist.lpi_xa.XaUnlockIrqrestore(k, t, early));
            bool last = irq.refcount.refcount.DecAndTest(k);
            yield return $"__vgic_put_irq({irq}): refcount_dec_and_test() = {last}";
            if (!last)
            {
                yield break;
            }

            var flags = new IrqFlags();
            yield return Stmt.Call(XaLocked(dist.lpi_xa.XaLockIrqsave(k, t, flags)));
            yield return Stmt.Call(VgicReleaseLpiLocked(t, irq));
            yield return Stmt.Call(dist.lpi_xa.XaUnlockIrqrestore(k, t, flags));
            yield break;
        }

        // v6.9, v6.10 and the v2 design: the kref drops without a lock; the last put erases.
        bool zero = irq.refcount.Put(k, t, KrefRelease.Noop);
        yield return $"vgic_put_irq: kref_put(&{irq}->refcount, vgic_irq_release) = {(zero ? 1 : 0)}";
        if (!zero)
        {
            yield break;
        }

        var xaFlags = new IrqFlags();
        yield return Stmt.Call(XaLocked(dist.lpi_xa.XaLockIrqsave(k, t, xaFlags)));
        VgicIrq? erased = dist.lpi_xa.__XaErase(t, irq.intid);
        k.Observe(new LpiReleased(irq.name, erased?.name));
        yield return $"__xa_erase(&dist->lpi_xa, {irq}->intid) = {erased?.ToString() ?? "NULL"}";
        yield return Stmt.Call(dist.lpi_xa.XaUnlockIrqrestore(k, t, xaFlags));
        if (!P.MutantReleaseSkipsLpiCount)
        {
            dist.lpi_count--;
            yield return "atomic_dec(&dist->lpi_count)";
        }

        yield return Stmt.Call(FreeLpi(t, irq));
    }

    /// <summary>__vgic_put_lpi_locked() of v6.7 and v6.8, with lpi_list_lock held: the last put unlinks and kfree()s.</summary>
    internal IEnumerable<Stmt> VgicPutLpiLocked(TaskStruct t, VgicIrq irq)
    {
        bool zero = irq.refcount.Put(k, t, KrefRelease.Noop);
        yield return $"kref_put(&{irq}->refcount, vgic_irq_release) = {(zero ? 1 : 0)}";
        if (zero)
        {
            yield return Stmt.Call(VgicIrqRelease(t, irq));
        }
    }

    /// <summary>What the last put of v6.7 and v6.8 does with lpi_list_lock held: unlink, count out, kfree().</summary>
    private IEnumerable<Stmt> VgicIrqRelease(TaskStruct t, VgicIrq irq)
    {
        bool linked = dist.lpi_list.Remove(irq);
        irq.on_lpi_list = false;
        k.Observe(new LpiReleased(irq.name, linked ? irq.name : null));
        if (!P.MutantReleaseSkipsLpiCount)
        {
            dist.lpi_count--;
        }

        yield return $"list_del(&{irq}->lpi_list); dist->lpi_list_count--";
        if (P.MutantReleaseLeaks)
        {
            yield break;
        }

        Slab.Kfree(k, t, irq);
        yield return $"kfree({irq})";
    }

    /// <summary>vgic_release_lpi_locked() (v6.17 on), with xa_lock held: erase the INTID, count it out, kfree_rcu().</summary>
    internal IEnumerable<Stmt> VgicReleaseLpiLocked(TaskStruct t, VgicIrq irq)
    {
        VgicIrq? erased = dist.lpi_xa.__XaErase(t, irq.intid);
        k.Observe(new LpiReleased(irq.name, erased?.name));
        yield return $"vgic_release_lpi_locked: __xa_erase(&dist->lpi_xa, {irq}->intid) = {erased?.ToString() ?? "NULL"}";
        if (!P.MutantReleaseSkipsLpiCount)
        {
            dist.lpi_count--;
            yield return "atomic_dec(&dist->lpi_count)";
        }

        yield return Stmt.Call(FreeLpi(t, irq));
    }

    /// <summary>kfree_rcu(irq, rcu), or the mutants' kfree() and nothing.</summary>
    private IEnumerable<Stmt> FreeLpi(TaskStruct t, VgicIrq irq)
    {
        if (P.MutantReleaseLeaks)
        {
            yield break;
        }

        if (P.MutantPutKfree)
        {
            Slab.Kfree(k, t, irq);
            yield return $"kfree({irq})";
            yield break;
        }

        Slab.KfreeRcu(k, t, irq);
        yield return $"kfree_rcu({irq}, rcu)";
    }

    /// <summary>
    /// vgic_put_irq_norelease() (v6.17 on), under the raw ap_list_lock: drops the reference and,
    /// when it was the last, only marks the LPI (v6.17) for vgic_release_deleted_lpis(). True at zero.
    /// </summary>
    internal IEnumerable<Stmt> VgicPutIrqNorelease(TaskStruct t, VgicIrq irq, Ret<bool> deleted)
    {
        bool last = irq.refcount.refcount.DecAndTest(k);
        yield return $"vgic_put_irq_norelease: __vgic_put_irq({irq}): refcount_dec_and_test() = {last}";
        if (last && V == Variant.V6_17)
        {
            irq.pending_release = true;
            yield return $"{irq}->pending_release = true";
        }

        deleted.value |= last;
    }

    /// <summary>vgic_release_deleted_lpis(): under xa_lock, release the marked LPIs (v6.17) or those whose count reads zero (v7.2).</summary>
    internal IEnumerable<Stmt> VgicReleaseDeletedLpis(TaskStruct t)
    {
        var flags = new IrqFlags();
        yield return Stmt.Call(XaLocked(dist.lpi_xa.XaLockIrqsave(k, t, flags)));
        foreach ((long _, VgicIrq irq) in dist.lpi_xa.XaForEach())
        {
            bool dead;
            if (V == Variant.V6_17)
            {
                dead = irq.pending_release;
                yield return $"xa_for_each(&dist->lpi_xa): {irq}->pending_release = {dead}";
            }
            else
            {
                int count = irq.refcount.Read();
                dead = count == 0;
                yield return $"xa_for_each(&dist->lpi_xa): refcount_read(&{irq}->refcount) = {count}";
            }

            if (dead)
            {
                yield return Stmt.Call(VgicReleaseLpiLocked(t, irq));
            }
        }

        yield return Stmt.Call(dist.lpi_xa.XaUnlockIrqrestore(k, t, flags));
    }
}
