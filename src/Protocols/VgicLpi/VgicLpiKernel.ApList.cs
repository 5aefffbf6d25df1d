using Verify.Kernel.Lifetime;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Specifications;

namespace Verify.Protocols.VgicLpi;

public sealed partial class VgicLpiKernel
{
    /// <summary>vgic_target_oracle(): the vCPU a pending, enabled LPI should be queued on, -1 for none.</summary>
    private static int VgicTargetOracle(VgicIrq irq) => irq.pending_latch && irq.enabled ? irq.target_vcpu : -1;

    /// <summary>A vCPU pointer as a step prints it: vcpuN, or NULL for -1.</summary>
    private static string VcpuName(int id) => id < 0 ? "NULL" : $"vcpu{id}";

    /// <summary>
    /// vgic_queue_irq_unlock(), entered with irq_lock held (interrupts saved in <paramref name="flags"/>):
    /// an LPI to deliver goes on its target's ap_list, which takes a reference (ap_list_lock before
    /// irq_lock, so irq_lock is dropped and both are taken in order, then the decision checked again).
    /// </summary>
    internal IEnumerable<Stmt> VgicQueueIrqUnlock(TaskStruct t, VgicIrq irq, IrqFlags flags)
    {
        while (true)
        {
            int target = VgicTargetOracle(irq);
            int queued = irq.vcpu;
            yield return $"vgic_target_oracle({irq}) = {VcpuName(target)}; {irq}->vcpu = {VcpuName(queued)}";
            if (target < 0 || queued >= 0)
            {
                // Nothing to do, or already on an ap_list (the vCPU will see the new state).
                yield return Stmt.Call(RawSpinUnlockIrqrestore(t, irq.irq_lock, flags));
                yield break;
            }

            VgicCpu vc = vcpu[target];
            if (P.MutantQueueUnderIrqLock)
            {
                // The mutant: ap_list_lock taken inside irq_lock (interrupts are already off), the
                // reverse of vgic_prune_ap_list()'s order; the decision needs no second look.
                yield return Stmt.Call(RawSpinLock(t, vc.ap_list_lock));
                VgicGetIrqKref(irq);
                yield return $"vgic_get_irq_kref({irq})";
                vc.ap_list.Add(irq);
                irq.vcpu = target;
                yield return $"list_add_tail(&{irq}->ap_list, &vcpu{target}->ap_list_head); {irq}->vcpu = vcpu{target}";
                yield return Stmt.Call(RawSpinUnlock(t, vc.ap_list_lock));
                yield return Stmt.Call(RawSpinUnlockIrqrestore(t, irq.irq_lock, flags));
                yield return $"kvm_vcpu_kick(vcpu{target})";
                yield break;
            }

            yield return Stmt.Call(RawSpinUnlockIrqrestore(t, irq.irq_lock, flags));
            var apFlags = new IrqFlags();
            yield return Stmt.Call(RawSpinLockIrqsave(t, vc.ap_list_lock, apFlags));
            yield return Stmt.Call(RawSpinLock(t, irq.irq_lock));
            if (irq.vcpu >= 0 || VgicTargetOracle(irq) != target)
            {
                yield return "vgic_queue_irq_unlock: the LPI changed meanwhile, retry";
                yield return Stmt.Call(RawSpinUnlock(t, irq.irq_lock));
                yield return Stmt.Call(RawSpinUnlockIrqrestore(t, vc.ap_list_lock, apFlags));
                yield return Stmt.Call(RawSpinLockIrqsave(t, irq.irq_lock, flags));
                continue;
            }

            // The ap_list holds a reference; the caller's proves the count nonzero.
            VgicGetIrqKref(irq);
            yield return $"vgic_get_irq_kref({irq})";
            vc.ap_list.Add(irq);
            irq.vcpu = target;
            yield return $"list_add_tail(&{irq}->ap_list, &vcpu{target}->ap_list_head); {irq}->vcpu = vcpu{target}";
            yield return Stmt.Call(RawSpinUnlock(t, irq.irq_lock));
            yield return Stmt.Call(RawSpinUnlockIrqrestore(t, vc.ap_list_lock, apFlags));
            yield return $"kvm_vcpu_kick(vcpu{target})";
            yield break;
        }
    }

    /// <summary>The ap_list's reference dropped under ap_list_lock: vgic_put_irq() up to v6.10, vgic_put_irq_norelease() after (the S5 mutant keeps vgic_put_irq()).</summary>
    private IEnumerable<Stmt> PutApListReference(TaskStruct t, VgicIrq irq, Ret<bool> deleted)
    {
        if (V.Norelease() && !P.MutantPutUnderRawLocks)
        {
            yield return Stmt.Call(VgicPutIrqNorelease(t, irq, deleted));
        }
        else
        {
            yield return Stmt.Call(VgicPutIrq(t, irq));
        }
    }

    /// <summary>
    /// vgic_prune_ap_list(): drops the LPIs that no longer need to be on this vCPU's ap_list (not
    /// pending, or disabled) and moves those routed elsewhere. Called with interrupts off
    /// (DEBUG_SPINLOCK_BUG_ON(!irqs_disabled())), so it takes ap_list_lock with plain
    /// raw_spin_lock(). A move drops irq_lock and ap_list_lock, holding no reference of its own,
    /// takes both vCPUs' ap_list_locks (the lower vcpu_id first, the second with
    /// raw_spin_lock_nested()) and irq_lock again, re-checks only the oracle, and moves the entry
    /// with list_del() and list_add_tail(); then it starts over (goto retry), the list having
    /// changed meanwhile.
    /// </summary>
    internal IEnumerable<Stmt> VgicPruneApList(TaskStruct t, VgicCpu vc)
    {
        var deleted = new Ret<bool>();
        if (!k.cpus[t.cpu].irqs_disabled)
        {
            throw new InvalidOperationException($"{t.comm} calls vgic_prune_ap_list() with interrupts on.");
        }

        bool retry = true;
        while (retry)
        {
            retry = false;
            yield return Stmt.Call(RawSpinLock(t, vc.ap_list_lock));
            foreach (VgicIrq irq in vc.ap_list.ToList())
            {
                yield return Stmt.Call(RawSpinLock(t, irq.irq_lock));
                int on = irq.vcpu;
                Specification.Assert(on == vc.id, "kernel BUG in vgic_prune_ap_list(): BUG_ON(vcpu != irq->vcpu): {0} is on vcpu{1}'s ap_list with {0}->vcpu = {2}.", irq, vc.id, VcpuName(on));
                int target = VgicTargetOracle(irq);
                yield return $"vgic_prune_ap_list: vgic_target_oracle({irq}) = {VcpuName(target)}";
                if (target < 0)
                {
                    ListDel(irq, "vgic_prune_ap_list");
                    irq.vcpu = -1;
                    yield return $"list_del(&{irq}->ap_list); {irq}->vcpu = NULL";
                    yield return Stmt.Call(RawSpinUnlock(t, irq.irq_lock));
                    yield return Stmt.Call(PutApListReference(t, irq, deleted));
                    continue;
                }

                if (target == vc.id)
                {
                    yield return Stmt.Call(RawSpinUnlock(t, irq.irq_lock));
                    continue;
                }

                yield return Stmt.Call(VgicPruneMigrate(t, vc, irq, vcpu[target]));
                retry = true;
                break;
            }
        }

        yield return Stmt.Call(RawSpinUnlock(t, vc.ap_list_lock));
        if (deleted.value)
        {
            yield return Stmt.Call(VgicReleaseDeletedLpis(t));
        }
    }

    /// <summary>
    /// vgic_prune_ap_list()'s move of <paramref name="irq"/>, entered with <paramref name="vc"/>'s
    /// ap_list_lock and irq_lock held, left with neither (the caller starts over): the window
    /// between dropping them and taking both ap_list_locks is where another vCPU may change the
    /// LPI, and only the oracle is checked again.
    /// </summary>
    private IEnumerable<Stmt> VgicPruneMigrate(TaskStruct t, VgicCpu vc, VgicIrq irq, VgicCpu target)
    {
        yield return Stmt.Call(RawSpinUnlock(t, irq.irq_lock));
        yield return Stmt.Call(RawSpinUnlock(t, vc.ap_list_lock));
        (VgicCpu a, VgicCpu b) = vc.id < target.id ? (vc, target) : (target, vc);
        yield return Stmt.Call(RawSpinLock(t, a.ap_list_lock));

        // raw_spin_lock_nested(SINGLE_DEPTH_NESTING): a second lock of the class, which lockdep
        // accepts (the model's recursion check is per lock, its dependency graph skips same-class pairs).
        yield return Stmt.Call(RawSpinLock(t, b.ap_list_lock));
        yield return Stmt.Call(RawSpinLock(t, irq.irq_lock));
        int now = VgicTargetOracle(irq);
        bool kick = now == target.id;
        string fixRead = string.Empty;
        if (P.FixPruneChecksVcpu)
        {
            int on = irq.vcpu;
            kick &= on == vc.id;
            fixRead = $"; {irq}->vcpu = {VcpuName(on)}";
        }

        yield return $"vgic_prune_ap_list: vgic_target_oracle({irq}) = {VcpuName(now)}, target_vcpu = vcpu{target.id}{fixRead}";

        if (kick)
        {
            ListDel(irq, "vgic_prune_ap_list");
            irq.vcpu = target.id;
            target.ap_list.Add(irq);
            yield return $"list_del(&{irq}->ap_list); {irq}->vcpu = vcpu{target.id}; list_add_tail(&{irq}->ap_list, &vcpu{target.id}->ap_list_head)";
        }

        yield return Stmt.Call(RawSpinUnlock(t, irq.irq_lock));
        yield return Stmt.Call(RawSpinUnlock(t, b.ap_list_lock));
        yield return Stmt.Call(RawSpinUnlock(t, a.ap_list_lock));
        if (kick)
        {
            yield return $"kvm_make_request(KVM_REQ_IRQ_PENDING, vcpu{target.id}); kvm_vcpu_kick(vcpu{target.id})";
        }

        yield return "vgic_prune_ap_list: goto retry";
    }

    /// <summary>
    /// list_del(&amp;irq-&gt;ap_list): unlinks the entry through its own prev and next pointers, from
    /// whichever ap_list holds it, and poisons them (LIST_POISON1, LIST_POISON2). Every caller
    /// found the entry on a list, so one that no list holds now was unlinked since, and its next is
    /// LIST_POISON1 (the kernel's test, which a never-linked INIT_LIST_HEAD entry would pass; no
    /// caller has one), which CONFIG_DEBUG_LIST reports as
    /// list corruption and skips the unlink (CONFIG_LIST_HARDENED alone faults reading through
    /// LIST_POISON2, a kernel with neither faults writing through the poison); the caller goes on,
    /// as the debug kernel does.
    /// </summary>
    private void ListDel(VgicIrq irq, string caller)
    {
        VgicCpu? holder = vcpu.FirstOrDefault(c => c.ap_list.Contains(irq));
        DebugReports.Check(k, holder is not null, DebugFacility.ListDebug, "list_del corruption, {0}->ap_list.next is LIST_POISON1 (dead000000000100), in {1}(): no ap_list holds {0}, a list_del() unlinked it before.", irq, caller);
        holder?.ap_list.Remove(irq);
    }

    /// <summary>vgic_flush_pending_lpis(): EnableLPIs cleared, every LPI leaves the vCPU's ap_list.</summary>
    internal IEnumerable<Stmt> VgicFlushPendingLpis(TaskStruct t, VgicCpu vc)
    {
        var deleted = new Ret<bool>();
        var flags = new IrqFlags();
        yield return Stmt.Call(RawSpinLockIrqsave(t, vc.ap_list_lock, flags));
        foreach (VgicIrq irq in vc.ap_list.ToList())
        {
            yield return Stmt.Call(RawSpinLock(t, irq.irq_lock));
            ListDel(irq, "vgic_flush_pending_lpis");
            irq.vcpu = -1;
            yield return $"vgic_flush_pending_lpis: list_del(&{irq}->ap_list); {irq}->vcpu = NULL";
            yield return Stmt.Call(RawSpinUnlock(t, irq.irq_lock));
            yield return Stmt.Call(PutApListReference(t, irq, deleted));
        }

        yield return Stmt.Call(RawSpinUnlockIrqrestore(t, vc.ap_list_lock, flags));
        if (deleted.value)
        {
            yield return Stmt.Call(VgicReleaseDeletedLpis(t));
        }
    }
}
