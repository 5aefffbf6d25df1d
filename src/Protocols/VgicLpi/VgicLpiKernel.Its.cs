using Verify.Kernel.Lifetime;
using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sched;

namespace Verify.Protocols.VgicLpi;

public sealed partial class VgicLpiKernel
{
    /// <summary>find_ite(its, 0, ev): device 0's ITE for the event, if the device is mapped.</summary>
    private ItsIte? FindIte(int ev) => its.device_mapped ? its.itt.FirstOrDefault(i => i.event_id == ev) : null;

    /// <summary>
    /// vgic_its_process_commands() for one command: cmd_lock, then its_lock around
    /// vgic_its_handle_command(). The command's effect on the event's translation is observed before
    /// its_lock is dropped.
    /// </summary>
    internal IEnumerable<Stmt> VgicItsProcessCommand(TaskStruct t, ItsCmd cmd)
    {
        yield return Stmt.Call(MutexLock(t, its.cmd_lock));
        yield return Stmt.Call(MutexLock(t, its.its_lock));
        k.Observe(new ItsCommandBegan(cmd.ToString(), cmd.Event));
        switch (cmd.Kind)
        {
            case ItsCmdKind.Mapti: yield return Stmt.Call(HandleMapti(t, cmd.Event, cmd.Intid)); break;
            case ItsCmdKind.Discard: yield return Stmt.Call(HandleDiscard(t, cmd.Event)); break;
            case ItsCmdKind.Movi: yield return Stmt.Call(HandleMovi(t, cmd.Event)); break;
            case ItsCmdKind.Inv: yield return Stmt.Call(HandleInv(t, cmd.Event)); break;
            case ItsCmdKind.Clear: yield return Stmt.Call(HandleClear(t, cmd.Event)); break;
            case ItsCmdKind.MapdUnmap: yield return Stmt.Call(HandleMapdUnmap(t)); break;
            case ItsCmdKind.Movall: yield return Stmt.Call(HandleMovall(t)); break;
            case ItsCmdKind.Invall: yield return Stmt.Call(HandleInvall(t)); break;
        }

        ItsIte? done = FindIte(cmd.Event);
        k.Observe(new ItsCommandDone(cmd.ToString(), cmd.Event, done?.irq?.name, done?.collection ?? -1));
        yield return Stmt.Call(MutexUnlock(t, its.its_lock));
        yield return Stmt.Call(MutexUnlock(t, its.cmd_lock));
    }

    /// <summary>its_free_ite(): unlink the ITE, drop its reference on the LPI, kfree() it.</summary>
    private IEnumerable<Stmt> ItsFreeIte(TaskStruct t, ItsIte ite)
    {
        its.itt.Remove(ite);
        VgicIrq? irq = ite.irq;
        yield return $"its_free_ite: list_del(&{ite}->ite_list); irq = {ite}->irq = {irq?.ToString() ?? "NULL"}";
        if (irq is not null)
        {
            yield return Stmt.Call(VgicPutIrq(t, irq));
        }

        Slab.Kfree(k, t, ite);
        yield return $"kfree({ite})";
    }

    private IEnumerable<Stmt> HandleDiscard(TaskStruct t, int ev)
    {
        ItsIte? ite = FindIte(ev);
        yield return $"vgic_its_cmd_handle_discard: find_ite(its, 0, {ev}) = {ite?.ToString() ?? "NULL"}";
        if (ite is null)
        {
            yield break;
        }

        if (!P.MutantDiscardKeepsCache)
        {
            yield return Stmt.Call(VgicItsInvalidateCache(t));
        }

        yield return Stmt.Call(ItsFreeIte(t, ite));
    }

    private IEnumerable<Stmt> HandleMapdUnmap(TaskStruct t)
    {
        its.device_mapped = false;
        yield return "vgic_its_cmd_handle_mapd(V=0): vgic_its_free_device()";

        // vgic_its_free_device() frees the device's ITEs first, then invalidates the cache: the
        // cache's reference may be the last one an LPI has when the invalidation drops it.
        foreach (ItsIte ite in its.itt.ToList())
        {
            yield return Stmt.Call(ItsFreeIte(t, ite));
        }

        yield return Stmt.Call(VgicItsInvalidateCache(t));
    }

    private IEnumerable<Stmt> HandleMapti(TaskStruct t, int ev, int intid)
    {
        bool exists = FindIte(ev) is not null;
        yield return $"vgic_its_cmd_handle_mapi: find_ite(its, 0, {ev}) = {(exists ? "mapped" : "NULL")}";
        if (exists || !its.device_mapped)
        {
            yield break;
        }

        ItsIte? ite = Slab.Kzalloc<ItsIte>(k, t, Gfp.GFP_KERNEL_ACCOUNT);
        yield return $"vgic_its_alloc_ite: ite = kzalloc(GFP_KERNEL_ACCOUNT) = {ite?.ToString() ?? "NULL"}";
        if (ite is null)
        {
            yield break;
        }

        ite.event_id = ev;
        ite.collection = 0;
        its.itt.Add(ite);
        yield return $"{ite}->event_id = {ev}; list_add_tail(&{ite}->ite_list, &device->itt_head)";
        var irq = new Ret<VgicIrq>();
        var err = new Ret<int>();
        yield return Stmt.Call(VgicAddLpi(t, intid, 0, irq, err));
        if (irq.value is null)
        {
            yield return $"IS_ERR(irq): its_free_ite({ite}); return {err.value}";
            yield return Stmt.Call(ItsFreeIte(t, ite));
            yield break;
        }

        ite.irq = irq.value;
        yield return $"{ite}->irq = {irq.value}";
    }

    /// <summary>
    /// vgic_its_cmd_handle_movi(): the ITE's new collection, the translation cache invalidated, and
    /// only then update_affinity() retargets the vgic_irq under its irq_lock.
    /// </summary>
    private IEnumerable<Stmt> HandleMovi(TaskStruct t, int ev)
    {
        ItsIte? ite = FindIte(ev);
        yield return $"vgic_its_cmd_handle_movi: find_ite(its, 0, {ev}) = {ite?.ToString() ?? "NULL"}";
        if (ite is null)
        {
            yield break;
        }

        int target = vcpu.Length - 1;
        ite.collection = target;
        VgicIrq irq = Kasan.Deref(k, ite.irq, "ite->irq");
        yield return $"{ite}->collection = collection{target}; irq = {irq}";
        yield return Stmt.Call(VgicItsInvalidateCache(t));
        var flags = new IrqFlags();
        yield return Stmt.Call(RawSpinLockIrqsave(t, irq.irq_lock, flags));
        irq.target_vcpu = target;
        yield return $"update_affinity: {irq}->target_vcpu = vcpu{target}";
        yield return Stmt.Call(RawSpinUnlockIrqrestore(t, irq.irq_lock, flags));
    }

    private IEnumerable<Stmt> HandleInv(TaskStruct t, int ev)
    {
        ItsIte? ite = FindIte(ev);
        yield return $"vgic_its_cmd_handle_inv: find_ite(its, 0, {ev}) = {ite?.ToString() ?? "NULL"}";
        if (ite is null)
        {
            yield break;
        }

        VgicIrq irq = Kasan.Deref(k, ite.irq, "ite->irq");
        var flags = new IrqFlags();
        yield return Stmt.Call(RawSpinLockIrqsave(t, irq.irq_lock, flags));
        irq.enabled = true;
        yield return $"update_lpi_config: {irq}->enabled = true";
        yield return Stmt.Call(VgicQueueIrqUnlock(t, irq, flags));
    }

    private IEnumerable<Stmt> HandleClear(TaskStruct t, int ev)
    {
        ItsIte? ite = FindIte(ev);
        yield return $"vgic_its_cmd_handle_clear: find_ite(its, 0, {ev}) = {ite?.ToString() ?? "NULL"}";
        if (ite is null)
        {
            yield break;
        }

        // A plain store, without the irq_lock, as vgic_its_cmd_handle_clear() has it.
        VgicIrq irq = Kasan.Deref(k, ite.irq, "ite->irq");
        irq.pending_latch = false;
        yield return $"ite->irq->pending_latch = false ({irq})";
    }

    /// <summary>
    /// MOVALL from vCPU 0 to the last vCPU: up to the v2 design, a vgic_get_irq() per INTID
    /// vgic_copy_lpi_list() copied for vCPU 0; from v6.10, xa_for_each() over lpi_xa and a
    /// vgic_get_irq() of each index found. Each lookup may come back NULL.
    /// </summary>
    private IEnumerable<Stmt> HandleMovall(TaskStruct t)
    {
        yield return Stmt.Call(ForEachLpi(t, "vgic_its_cmd_handle_movall", 0, LpiWalk.Movall, vcpu.Length - 1));
        yield return Stmt.Call(VgicItsInvalidateCache(t));
    }

    /// <summary>What a walk over the LPIs (<see cref="ForEachLpi"/>) does with each one.</summary>
    private enum LpiWalk
    {
        Movall,
        Invall,
        SyncPending,
    }

    /// <summary>
    /// The walk MOVALL, vgic_its_invall() and its_sync_lpi_pending_table() make over the LPIs: up to
    /// the v2 design over the INTIDs vgic_copy_lpi_list() copied for vCPU <paramref name="copied"/>
    /// (vgic_its_invall() then kfree()s the copy as its own step), from v6.10 with xa_for_each() over
    /// lpi_xa (every LPI, each xa_find() its own RCU-safe read); each LPI is
    /// <paramref name="walk"/>'s iteration, given <paramref name="target"/>.
    /// </summary>
    private IEnumerable<Stmt> ForEachLpi(TaskStruct t, string caller, int copied, LpiWalk walk, int target)
    {
        if (V.PerItsCache())
        {
            foreach ((long index, VgicIrq entry) in dist.lpi_xa.XaForEach())
            {
                yield return $"{caller}: xa_for_each(&dist->lpi_xa) finds {entry} at {index}";
                yield return Stmt.Call(LpiOne(t, walk, (int)index, target));
            }

            yield return $"{caller}: xa_for_each(&dist->lpi_xa) finds nothing more";
            yield break;
        }

        var intids = new List<int>();
        yield return Stmt.Call(VgicCopyLpiList(t, copied, intids));
        foreach (int intid in intids)
        {
            yield return Stmt.Call(LpiOne(t, walk, intid, target));
        }

        if (walk == LpiWalk.Invall)
        {
            yield return $"{caller}: kfree(intids)";
        }
    }

    private IEnumerable<Stmt> LpiOne(TaskStruct t, LpiWalk walk, int intid, int target) => walk switch
    {
        LpiWalk.Movall => MovallOne(t, intid, target),
        LpiWalk.Invall => InvallOne(t, intid, target),
        _ => SyncPendingOne(t, intid, target),
    };

    /// <summary>One LPI of MOVALL: vgic_get_irq(), NULL skipped where the version tests it, update_affinity() under irq_lock, vgic_put_irq().</summary>
    private IEnumerable<Stmt> MovallOne(TaskStruct t, int intid, int target)
    {
        var got = new Ret<VgicIrq>();
        yield return Stmt.Call(VgicGetLpi(t, intid, got));
        if (got.value is null && V.SyncTestsNull() && !P.MutantNoNullTest)
        {
            yield return $"vgic_its_cmd_handle_movall: irq {intid} is gone, continue";
            yield break;
        }

        VgicIrq irq = Kasan.Deref(k, got.value, "irq->irq_lock");
        var flags = new IrqFlags();
        yield return Stmt.Call(RawSpinLockIrqsave(t, irq.irq_lock, flags));
        irq.target_vcpu = target;
        yield return $"update_affinity({irq}, vcpu{target})";
        yield return Stmt.Call(RawSpinUnlockIrqrestore(t, irq.irq_lock, flags));
        yield return Stmt.Call(VgicPutIrq(t, irq));
    }

    /// <summary>vgic_its_cmd_handle_invall(): find_collection() of collection 0, mapped to vCPU 0, then vgic_its_invall(vcpu0).</summary>
    private IEnumerable<Stmt> HandleInvall(TaskStruct t)
    {
        yield return "vgic_its_cmd_handle_invall: find_collection(its, 0) = collection0; vcpu = kvm_get_vcpu(kvm, 0) = vcpu0";
        yield return Stmt.Call(VgicItsInvall(t, 0));
    }

    /// <summary>
    /// vgic_its_invall(vcpu): up to the v2 design, the INTIDs of the LPIs targeting the vCPU copied
    /// with vgic_copy_lpi_list(), then a vgic_get_irq() per INTID; from v6.10, xa_for_each() over
    /// lpi_xa (every LPI, each xa_find() its own RCU-safe read), then a vgic_get_irq() of the index
    /// found. Each lookup may come back NULL (the count reached zero, or the entry is gone), and
    /// every version skips it; update_lpi_config() filters on the vCPU; vgic_put_irq() drops the
    /// lookup's reference, which may be the last.
    /// </summary>
    internal IEnumerable<Stmt> VgicItsInvall(TaskStruct t, int target) => ForEachLpi(t, "vgic_its_invall", target, LpiWalk.Invall, target);

    /// <summary>One iteration of vgic_its_invall(): vgic_get_irq(), update_lpi_config(kvm, irq, vcpu, false), vgic_put_irq().</summary>
    private IEnumerable<Stmt> InvallOne(TaskStruct t, int intid, int filter)
    {
        var got = new Ret<VgicIrq>();
        var how = new Lookup();
        yield return Stmt.Call(VgicGetLpi(t, intid, got, how));
        if (got.value is null && !P.MutantNoNullTest)
        {
            yield return $"vgic_its_invall: vgic_get_irq({intid}) = NULL, continue";
            yield break;
        }

        VgicIrq irq = Kasan.Deref(k, got.value, "irq->intid");
        int seen = ReadIntid(t, irq, how);
        yield return $"update_lpi_config: kvm_read_guest_lock(propbase + {irq}->intid - GIC_LPI_OFFSET) with intid = {seen}";
        var flags = new IrqFlags();
        yield return Stmt.Call(RawSpinLockIrqsave(t, irq.irq_lock, flags));
        int routed = irq.target_vcpu;
        bool mine = routed == filter;
        bool enable = dist.propbase_enabled;
        if (mine)
        {
            irq.enabled = enable;
        }

        yield return mine
            ? $"update_lpi_config: {irq}->target_vcpu = vcpu{routed}, the filter: {irq}->priority, {irq}->enabled = {(enable ? "true" : "false")}"
            : $"update_lpi_config: {irq}->target_vcpu = vcpu{routed}, not vcpu{filter}";
        if (P.MutantInvallPutUnderIrqLock)
        {
            // The mutant: the lookup's reference dropped inside the raw irq_lock section.
            yield return Stmt.Call(VgicPutIrq(t, irq));
        }

        if (mine)
        {
            yield return Stmt.Call(VgicQueueIrqUnlock(t, irq, flags));
        }
        else
        {
            yield return Stmt.Call(RawSpinUnlockIrqrestore(t, irq.irq_lock, flags));
        }

        if (!P.MutantInvallPutUnderIrqLock)
        {
            yield return Stmt.Call(VgicPutIrq(t, irq));
        }
    }

    /// <summary>vgic_copy_lpi_list(): the INTIDs of the LPIs targeting <paramref name="target"/>, at most lpi_count of them (up to the v2 design; v6.10 removed it).</summary>
    internal IEnumerable<Stmt> VgicCopyLpiList(TaskStruct t, int target, List<int> intids)
    {
        int irqCount = dist.lpi_count;
        yield return $"vgic_copy_lpi_list: irq_count = {irqCount}; intids = kmalloc_array()";
        if (V.LpiList())
        {
            var flags = new IrqFlags();
            yield return Stmt.Call(RawSpinLockIrqsave(t, dist.lpi_list_lock, flags));
            foreach (VgicIrq irq in dist.lpi_list)
            {
                if (intids.Count == irqCount)
                {
                    break;
                }

                if (irq.target_vcpu == target)
                {
                    intids.Add(irq.intid);
                }
            }

            yield return $"list_for_each_entry(lpi_list_head): intids = [{string.Join(", ", intids)}]";
            yield return Stmt.Call(RawSpinUnlockIrqrestore(t, dist.lpi_list_lock, flags));
            yield break;
        }

        var lflags = new IrqFlags();
        if (V.HasLpiListLock())
        {
            yield return Stmt.Call(RawSpinLockIrqsave(t, dist.lpi_list_lock, lflags));
        }

        yield return Stmt.Call(RcuReadSide.RcuReadLock(k, t));
        foreach ((long _, VgicIrq irq) in dist.lpi_xa.XaForEach())
        {
            if (intids.Count == irqCount)
            {
                break;
            }

            if (irq.target_vcpu == target)
            {
                intids.Add(irq.intid);
            }
        }

        yield return $"xas_for_each(&dist->lpi_xa): intids = [{string.Join(", ", intids)}]";
        yield return Stmt.Call(RcuReadSide.RcuReadUnlock(k, t));
        if (V.HasLpiListLock())
        {
            yield return Stmt.Call(RawSpinUnlockIrqrestore(t, dist.lpi_list_lock, lflags));
        }
    }

    /// <summary>
    /// its_sync_lpi_pending_table(): for each LPI, read its pending bit and, if set, make it
    /// pending. Up to the v2 design over the INTIDs vgic_copy_lpi_list() copied for the vCPU; from
    /// v6.10, xa_for_each() over lpi_xa (every LPI), the vCPU filter applied under irq_lock after
    /// the lookup.
    /// </summary>
    internal IEnumerable<Stmt> ItsSyncLpiPendingTable(TaskStruct t, int target) => ForEachLpi(t, "its_sync_lpi_pending_table", target, LpiWalk.SyncPending, target);

    /// <summary>One LPI of the pending-table sync: the pending bit, vgic_get_irq(), NULL skipped where the version tests it, the pending state set under irq_lock, queued, vgic_put_irq().</summary>
    private IEnumerable<Stmt> SyncPendingOne(TaskStruct t, int intid, int target)
    {
        yield return $"its_sync_lpi_pending_table: kvm_read_guest_lock(pendbase) for {intid}: pending";
        var got = new Ret<VgicIrq>();
        yield return Stmt.Call(VgicGetLpi(t, intid, got));
        if (got.value is null && V.SyncTestsNull() && !P.MutantNoNullTest)
        {
            yield return $"its_sync_lpi_pending_table: irq {intid} is gone, continue";
            yield break;
        }

        VgicIrq irq = Kasan.Deref(k, got.value, "irq->irq_lock");
        var flags = new IrqFlags();
        yield return Stmt.Call(RawSpinLockIrqsave(t, irq.irq_lock, flags));
        if (!V.PerItsCache() || irq.target_vcpu == target)
        {
            irq.pending_latch = true;
            yield return $"{irq}->pending_latch = true";
        }
        else
        {
            yield return $"{irq}->target_vcpu = vcpu{irq.target_vcpu}, not vcpu{target}";
        }

        yield return Stmt.Call(VgicQueueIrqUnlock(t, irq, flags));
        yield return Stmt.Call(VgicPutIrq(t, irq));
    }

    /// <summary>vgic_mmio_write_v3r_ctlr() clearing EnableLPIs: the vCPU's LPIs leave its ap_list and every translation cache is invalidated.</summary>
    internal IEnumerable<Stmt> VgicDisableLpis(TaskStruct t, VgicCpu vc)
    {
        k.Observe(new LpisDisableBegan(vc.id));
        vc.lpis_enabled = false;
        yield return $"vgic_mmio_write_v3r_ctlr: vcpu{vc.id} EnableLPIs = 0";
        yield return Stmt.Call(VgicFlushPendingLpis(t, vc));
        if (!V.PerItsCache())
        {
            yield return Stmt.Call(VgicItsInvalidateCache(t));
            k.Observe(new LpisDisabled(vc.id));
            yield break;
        }

        // vgic_its_invalidate_all_caches(): each ITS found on kvm->devices under rcu_read_lock(), its
        // cache invalidated without its_lock (the model's one ITS).
        yield return Stmt.Call(RcuReadSide.RcuReadLock(k, t));
        yield return "vgic_its_invalidate_all_caches: list_for_each_entry_rcu(dev, &kvm->devices)";
        yield return Stmt.Call(VgicItsInvalidateCache(t));
        yield return Stmt.Call(RcuReadSide.RcuReadUnlock(k, t));
        k.Observe(new LpisDisabled(vc.id));
    }
}
