using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Kernel.Sync;

namespace Verify.Protocols.VgicLpi;

/// <summary>
/// A task of the model on a modelled CPU of its own, in the kernel from the start (an ioctl or an
/// MMIO exit being handled): its calls, each followed by the return to user space, then
/// do_task_dead(), so the CPU goes idle and RCU sees it quiescent.
/// </summary>
internal abstract class VgicTask(VgicLpiKernel g, string comm, int cpu) : TaskStruct(comm, schedFifo: false, cpu)
{
    protected VgicLpiKernel G { get; } = g;

    /// <summary>The task's calls, each one a round trip into the kernel.</summary>
    protected abstract IEnumerable<(string Name, IEnumerable<Stmt> Code)> Calls(KernelState k);

    protected override IEnumerable<Stmt> Body(KernelState k)
    {
        foreach ((string name, IEnumerable<Stmt> code) in Calls(k))
        {
            yield return Stmt.Call(code);
            yield return Stmt.Call(LockdepSysExit.Check(k, this, name));
        }

        G.ActorDone();
        state = TaskState.Dead;
        yield return Stmt.Call(Scheduler.Schedule(k, this, SchedMode.Voluntary, "do_task_dead"));
    }
}

/// <summary>A VMM thread signalling MSIs (KVM_SIGNAL_MSI) for device 0's events, one after the other.</summary>
internal sealed class Injector(VgicLpiKernel g, string comm, int cpu, IReadOnlyList<int> events) : VgicTask(g, comm, cpu)
{
    protected override IEnumerable<(string Name, IEnumerable<Stmt> Code)> Calls(KernelState k)
    {
        foreach (int ev in events)
        {
            yield return ("KVM_SIGNAL_MSI", Inject(k, ev));
        }
    }

    private IEnumerable<Stmt> Inject(KernelState k, int ev)
    {
        k.Observe(new InjectionBegan(comm, ev));
        var result = new Ret<int>();
        yield return $"kvm_send_userspace_msi(dev 0, event {ev})";
        yield return Stmt.Call(G.VgicItsInjectMsi(this, ev, result));
        k.Observe(new InjectionEnded(comm, ev, result.value));
        yield return $"vgic_its_inject_msi() = {result.value}";
    }
}

/// <summary>
/// A vCPU's thread (vCPU 0's, or in the migration scenario also the target's) leaving the guest: in
/// kvm_arch_vcpu_ioctl_run()'s loop, with preemption and interrupts off as on the guest exit,
/// kvm_vgic_sync_hwstate() prunes its ap_list; interrupts and preemption come back on only after it.
/// </summary>
internal sealed class VcpuThread(VgicLpiKernel g, int cpu, int vcpuId) : VgicTask(g, $"vcpu{vcpuId}", cpu)
{
    protected override IEnumerable<(string Name, IEnumerable<Stmt> Code)> Calls(KernelState k)
    {
        yield return ("KVM_RUN", Run(k));
    }

    private IEnumerable<Stmt> Run(KernelState k)
    {
        CpuState c = k.cpus[cpu];
        c.preempt_count++;
        yield return "kvm_arch_vcpu_ioctl_run: preempt_disable()";
        c.irqs_disabled = true;
        yield return "local_irq_disable(); guest exit";
        yield return Stmt.Call(G.VgicPruneApList(this, G.vcpu[vcpuId]));
        c.irqs_disabled = false;
        yield return "local_irq_enable()";
        yield return Stmt.Call(Scheduler.PreemptEnable(k, this, "kvm_arch_vcpu_ioctl_run"));
    }
}

/// <summary>The ITS command processor: a vCPU's CWRITER write handled in its MMIO exit, one command per write.</summary>
internal sealed class ItsCommandThread(VgicLpiKernel g, int cpu, IReadOnlyList<ItsCmd> commands) : VgicTask(g, "its_cmd", cpu)
{
    protected override IEnumerable<(string Name, IEnumerable<Stmt> Code)> Calls(KernelState k)
    {
        foreach (ItsCmd cmd in commands)
        {
            yield return ($"GITS_CWRITER ({cmd})", G.VgicItsProcessCommand(this, cmd));
        }
    }
}

/// <summary>A redistributor write (from a vCPU's MMIO exit) clearing vCPU 0's GICR_CTLR.EnableLPIs.</summary>
internal sealed class RdistWriter(VgicLpiKernel g, int cpu) : VgicTask(g, "rdist", cpu)
{
    protected override IEnumerable<(string Name, IEnumerable<Stmt> Code)> Calls(KernelState k)
    {
        yield return ("GICR_CTLR write", G.VgicDisableLpis(this, G.vcpu[0]));
    }
}

/// <summary>
/// A vCPU's MMIO exit for a guest GICR_CTLR write setting vCPU 0's EnableLPIs: vgic_enable_lpis()
/// syncs the pending table (its_sync_lpi_pending_table()) while the LPIs may be live.
/// </summary>
internal sealed class RdistEnableThread(VgicLpiKernel g, int cpu) : VgicTask(g, "rdist_en", cpu)
{
    protected override IEnumerable<(string Name, IEnumerable<Stmt> Code)> Calls(KernelState k)
    {
        yield return ("GICR_CTLR write (EnableLPIs)", G.ItsSyncLpiPendingTable(this, 0));
    }
}

/// <summary>vCPU 0's MMIO exit for a guest write to its GICR_INVLPIR: a lockless lookup of LPI <c>intid</c> by INTID, and a load through it.</summary>
internal sealed class InvlpiThread(VgicLpiKernel g, int cpu, int intid) : VgicTask(g, "vcpu0", cpu)
{
    protected override IEnumerable<(string Name, IEnumerable<Stmt> Code)> Calls(KernelState k)
    {
        yield return ("GICR_INVLPIR write", G.VgicMmioWriteInvlpi(this, intid));
    }
}

/// <summary>
/// vCPU 0's MMIO exit for a guest write to its GICR_INVALLR: vgic_its_invall() of vCPU 0 without
/// its_lock (no ITS is involved), so it may run beside any ITS command.
/// </summary>
internal sealed class InvallrThread(VgicLpiKernel g, int cpu) : VgicTask(g, "vcpu0", cpu)
{
    protected override IEnumerable<(string Name, IEnumerable<Stmt> Code)> Calls(KernelState k)
    {
        yield return ("GICR_INVALLR write", G.VgicMmioWriteInvall(this));
    }
}
