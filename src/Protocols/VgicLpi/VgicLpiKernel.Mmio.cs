using Verify.Kernel.Lifetime;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Protocols.VgicLpi;

public sealed partial class VgicLpiKernel
{
    /// <summary>
    /// vgic_mmio_write_invlpi(): a guest write of <paramref name="intid"/> to vCPU 0's GICR_INVLPIR.
    /// With LPIs enabled, vgic_get_irq() finds the LPI under RCU alone (from v6.9; under
    /// lpi_list_lock before), and vgic_its_inv_lpi(), that is update_lpi_config(), reads the LPI's
    /// configuration byte at propbase + irq->intid - GIC_LPI_OFFSET before taking irq_lock; then
    /// vgic_put_irq(). The lookup and the intid load are the reader side of vgic_add_lpi()'s
    /// publication of a new vgic_irq.
    /// </summary>
    internal IEnumerable<Stmt> VgicMmioWriteInvlpi(TaskStruct t, int intid)
    {
        bool enabled = vcpu[0].lpis_enabled;
        yield return $"vgic_mmio_write_invlpi({intid}): vgic_lpis_enabled(vcpu0) = {enabled}";
        if (!enabled)
        {
            yield break;
        }

        var found = new Ret<VgicIrq>();
        var how = new Lookup();
        yield return Stmt.Call(VgicGetLpi(t, intid, found, how));
        if (found.value is not VgicIrq irq)
        {
            yield return $"vgic_get_irq({intid}) = NULL: return";
            yield break;
        }

        int seen = ReadIntid(t, irq, how);
        yield return $"update_lpi_config: kvm_read_guest_lock(propbase + {irq}->intid - GIC_LPI_OFFSET) with intid = {seen}";
        var flags = new IrqFlags();
        yield return Stmt.Call(RawSpinLockIrqsave(t, irq.irq_lock, flags));
        irq.enabled = true;
        yield return $"update_lpi_config: {irq}->enabled = true";
        yield return Stmt.Call(VgicQueueIrqUnlock(t, irq, flags));
        yield return Stmt.Call(VgicPutIrq(t, irq));
    }

    /// <summary>
    /// vgic_mmio_write_invall(): a guest write to vCPU 0's GICR_INVALLR (its low word). With LPIs
    /// enabled, vgic_its_invall(vcpu0), whose comment says it needs no its_lock because no ITS is
    /// involved: the walk, the lookups and the puts run beside the ITS command processor, which
    /// holds its_lock, not excluded by it.
    /// </summary>
    internal IEnumerable<Stmt> VgicMmioWriteInvall(TaskStruct t)
    {
        bool enabled = vcpu[0].lpis_enabled;
        yield return $"vgic_mmio_write_invall: vgic_lpis_enabled(vcpu0) = {enabled}";
        if (!enabled)
        {
            yield break;
        }

        yield return Stmt.Call(VgicItsInvall(t, 0));
    }
}
