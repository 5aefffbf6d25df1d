using Verify.Kernel.Lifetime;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Protocols.VgicLpi;

public sealed partial class VgicLpiKernel
{
    /// <summary>
    /// A new vgic_irq for <paramref name="intid"/> with one reference (the caller's ITE), targeting
    /// <paramref name="target"/>, enabled (the LPI's configuration byte is abstracted to "enabled").
    /// </summary>
    /// <remarks>
    /// After boot (<paramref name="t"/> the allocating task), kref_init()'s refcount_set() (a
    /// WRITE_ONCE()) and the plain store of irq->intid also go to the memory. They stay one
    /// statement: the object is not published yet, so no other CPU can tell them from two, and the
    /// memory modes order them, or not, by the views of the stores themselves.
    /// </remarks>
    internal void InitLpi(VgicIrq irq, int intid, int target, TaskStruct? t = null)
    {
        irq.irq_lock = new Kernel.Sync.KernelLock(VgicIrq.IrqLockClass, $"{irq.name}->irq_lock");
        irq.refcount.Init();
        irq.intid = intid;
        irq.target_vcpu = target;
        irq.enabled = true;
        if (t is not null)
        {
            IrqWords w = Words(irq);
            mem.AtomicSet(t.cpu, w.refcount, 1);
            mem.Write(t.cpu, w.intid, intid);
        }
    }

    /// <summary>vgic_add_lpi() of this version: the live vgic_irq at <paramref name="intid"/> with a new reference, a new one, or an errno.</summary>
    internal IEnumerable<Stmt> VgicAddLpi(TaskStruct t, int intid, int target, Ret<VgicIrq> ret, Ret<int> err)
    {
        ret.value = null;
        err.value = 0;
        var live = new Ret<VgicIrq>();
        yield return Stmt.Call(VgicGetLpi(t, intid, live));
        if (live.value is not null)
        {
            // In this case there is no put: the caller keeps the reference.
            ret.value = live.value;
            yield return $"vgic_add_lpi: vgic_get_irq({intid}) = {live.value}; return it";
            yield break;
        }

        VgicIrq? irq = Slab.Kzalloc<VgicIrq>(k, t, Gfp.GFP_KERNEL_ACCOUNT);
        yield return $"vgic_add_lpi: irq = kzalloc(sizeof(*irq), GFP_KERNEL_ACCOUNT) = {irq?.ToString() ?? "NULL"}";
        if (irq is null)
        {
            err.value = XArray<VgicIrq>.ENOMEM;
            yield break;
        }

        if (V.LpiList())
        {
            Register(irq);
            InitLpi(irq, intid, target, t);
            yield return $"INIT_LIST_HEAD; raw_spin_lock_init(&{irq}->irq_lock); kref_init(&{irq}->refcount); {irq}->intid = {intid}";
            yield return Stmt.Call(AddLpiToList(t, irq, intid, ret));
            yield break;
        }

        // v6.9 on: xa_reserve_irq() (which takes and drops xa_lock) comes before the
        // initialisation, so nothing orders kref_init() but the publishing store itself.
        var reserved = new XaRet<VgicIrq>();
        yield return Stmt.Call(XaLocked(dist.lpi_xa.XaReserve(k, t, intid, Gfp.GFP_KERNEL_ACCOUNT, reserved, irq: true)));
        if (reserved.err != 0)
        {
            Slab.Kfree(k, t, irq);
            err.value = reserved.err;
            yield return $"kfree({irq}); return ERR_PTR(-ENOMEM)";
            yield break;
        }

        Register(irq);
        InitLpi(irq, intid, target, t);
        yield return $"INIT_LIST_HEAD; raw_spin_lock_init(&{irq}->irq_lock); kref_init(&{irq}->refcount); {irq}->intid = {intid}";

        var flags = new IrqFlags();
        if (V.HasLpiListLock())
        {
            yield return Stmt.Call(RawSpinLockIrqsave(t, dist.lpi_list_lock, flags));
        }
        else
        {
            yield return Stmt.Call(XaLocked(dist.lpi_xa.XaLockIrqsave(k, t, flags)));
        }

        VgicIrq? old = dist.lpi_xa.XaLoad(intid);
        yield return $"oldirq = xa_load(&dist->lpi_xa, {intid}) = {old?.ToString() ?? "NULL"}";
        bool reuse = VgicTryGetIrqKref(old);
        if (old is not null)
        {
            yield return $"vgic_try_get_irq_kref({old}) = {reuse}";
        }

        if (reuse)
        {
            // Someone was faster with adding this LPI: use that one.
            Slab.Kfree(k, t, irq);
            ret.value = old;
            yield return $"kfree({irq}); irq = {old}";
        }
        else
        {
            int storeErr;
            if (V.HasLpiListLock())
            {
                // xa_store() takes xa_lock (a spinlock_t) inside the raw lpi_list_lock.
                var stored = new XaRet<VgicIrq>();
                yield return Stmt.Call(XaLocked(dist.lpi_xa.XaStore(k, t, intid, irq, Gfp.GFP_NOWAIT, stored)));
                storeErr = stored.err;
            }
            else
            {
                Gfp gfp = V == Variant.V7_2 ? Gfp.GFP_NOWAIT | Gfp.__GFP_ACCOUNT : Gfp.GFP_NOWAIT;
                VgicIrq? replaced = dist.lpi_xa.__XaStore(k, t, intid, irq, gfp, out storeErr);
                yield return $"ret = xa_err(__xa_store(&dist->lpi_xa, {intid}, {irq}, {(V == Variant.V7_2 ? "GFP_NOWAIT | __GFP_ACCOUNT" : "0")})) = {storeErr}";
                if (V == Variant.V7_2 && replaced is not null)
                {
                    // A dead entry was at the INTID: the new design evicts it and frees it here.
                    k.Observe(new LpiReleased(replaced.name, replaced.name));
                    if (!P.MutantReleaseSkipsLpiCount)
                    {
                        dist.lpi_count--;
                        yield return $"evict {replaced}: atomic_dec(&dist->lpi_count)";
                    }

                    yield return Stmt.Call(FreeLpi(t, replaced));
                }
            }

            if (storeErr != 0)
            {
                err.value = storeErr;
                yield return Stmt.Call(ReleaseReservation(t, intid));
                Slab.Kfree(k, t, irq);
                yield return $"kfree({irq})";
                if (V == Variant.V6_9V1)
                {
                    // The v1 error path returns with lpi_list_lock still held.
                    yield return "return ERR_PTR(ret)";
                    yield break;
                }
            }
            else
            {
                dist.lpi_count++;
                ret.value = irq;
                yield return "atomic_inc(&dist->lpi_count)";
            }
        }

        if (V.HasLpiListLock())
        {
            yield return Stmt.Call(RawSpinUnlockIrqrestore(t, dist.lpi_list_lock, flags));
        }
        else
        {
            yield return Stmt.Call(dist.lpi_xa.XaUnlockIrqrestore(k, t, flags));
        }
    }

    /// <summary>
    /// xa_release() of the reservation after a failed store: it takes xa_lock itself, under
    /// lpi_list_lock up to the v2 design, and under the caller's own xa_lock from v6.10 on.
    /// </summary>
    private IEnumerable<Stmt> ReleaseReservation(TaskStruct t, int intid)
    {
        if (V.HasLpiListLock())
        {
            yield return Stmt.Call(XaLocked(dist.lpi_xa.XaRelease(k, t, intid)));
            yield break;
        }

        // v6.10 on: the error path is still inside xa_lock_irqsave(), and xa_release() takes
        // xa_lock itself (a self-deadlock; lockdep reports the recursion).
        yield return Stmt.Call(XaLocked(dist.lpi_xa.XaRelease(k, t, intid)));
    }

    /// <summary>v6.7/v6.8: under lpi_list_lock, reuse a live LPI on the list (a reference with kref_get()) or add the new one.</summary>
    private IEnumerable<Stmt> AddLpiToList(TaskStruct t, VgicIrq irq, int intid, Ret<VgicIrq> ret)
    {
        var flags = new IrqFlags();
        yield return Stmt.Call(RawSpinLockIrqsave(t, dist.lpi_list_lock, flags));
        VgicIrq? old = dist.lpi_list.FirstOrDefault(i => i.intid == intid);
        yield return $"list_for_each_entry(oldirq, &dist->lpi_list_head) finds {old?.ToString() ?? "nothing"} at {intid}";
        if (old is not null)
        {
            VgicGetIrqKref(old);
            Slab.Kfree(k, t, irq);
            ret.value = old;
            yield return $"vgic_get_irq_kref({old}); kfree({irq}); irq = {old}";
        }
        else
        {
            dist.lpi_list.Insert(0, irq);
            irq.on_lpi_list = true;
            dist.lpi_count++;
            ret.value = irq;
            yield return $"list_add(&{irq}->lpi_list, &dist->lpi_list_head); dist->lpi_list_count++";
        }

        yield return Stmt.Call(RawSpinUnlockIrqrestore(t, dist.lpi_list_lock, flags));
    }
}
