using Verify.Kernel.Machine;

namespace Verify.Kernel.ContextTracking;

/// <summary>
/// struct context_tracking of one CPU. RCU watches the CPU exactly while rcu_watching is odd
/// (the CT_RCU_WATCHING bit); every entry to or exit from an extended quiescent state (idle,
/// user, guest) increments it, which is what the grace-period kthread's FQS scan samples.
/// </summary>
public sealed class ContextTrackingState(int cpu)
{
    private readonly int cpu = cpu;

    /// <summary>ct->active: user and guest context tracking runs on this CPU (nohz_full CPUs); idle is tracked on every CPU.</summary>
    public bool active { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    public CtState state { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); } = CtState.Kernel;

    public int rcu_watching { get => Access.ReadPublished(cpu, field); set => field = Access.WritePublished(cpu, value); } = 1;

    /// <summary>ct_nesting(): process-level nesting, 0 inside an extended quiescent state.</summary>
    public int nesting { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); } = 1;

    /// <summary>ct_nmi_nesting(): interrupt nesting on top of it.</summary>
    public int nmi_nesting { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    public bool Watching => (rcu_watching & 1) == 1;

    /// <summary>ct_kernel_exit_state(): enter an EQS (one atomic RMW of ct->state).</summary>
    public void KernelExit(CtState eqs)
    {
        state = eqs;
        nesting = 0;
        rcu_watching++;
    }

    /// <summary>ct_kernel_enter_state(): leave the EQS; RCU watches again.</summary>
    public void KernelEnter()
    {
        rcu_watching++;
        state = CtState.Kernel;
        nesting = 1;
    }

    /// <summary>ct_irq_enter(): an interrupt makes RCU watch a CPU that was in an EQS.</summary>
    public void IrqEnter()
    {
        if (!Watching)
        {
            rcu_watching++;
        }

        nmi_nesting++;
    }

    /// <summary>ct_irq_exit(): back to the EQS the interrupt arrived in, if any.</summary>
    public void IrqExit()
    {
        nmi_nesting--;
        if (nmi_nesting == 0 && nesting == 0 && Watching)
        {
            rcu_watching++;
        }
    }

    /// <summary>__ct_user_exit(): from user or guest mode into the kernel (enter_from_user_mode(), guest exit).</summary>
    public void UserExit() => KernelEnter();

    /// <summary>__ct_user_enter(): from the kernel into user or guest mode.</summary>
    public void UserEnter(CtState state) => KernelExit(state);

    /// <summary>rcu_is_cpu_rrupt_from_idle(): a first-level interrupt taken from an EQS.</summary>
    public bool RruptFromIdle => nmi_nesting <= 1 && nesting == 0;
}
