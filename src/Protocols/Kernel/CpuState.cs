using Verify.Protocols.Kernel.Rcu;

namespace Verify.Protocols.Kernel;

/// <summary>The per-CPU variables of one CPU that the models touch.</summary>
public sealed class CpuState
{
    public CpuState(int cpu, bool nohzFull)
    {
        this.cpu = cpu;
        nohz_full = nohzFull;
        ct = new ContextTracking(cpu) { active = nohzFull };
        rdp = new RcuData(cpu);
    }

    public readonly int cpu;

    /// <summary>tick_nohz_full_cpu(): the CPU is in the nohz_full mask.</summary>
    public readonly bool nohz_full;

    public readonly ContextTracking ct;

    /// <summary>This CPU's struct rcu_data.</summary>
    public readonly RcuData rdp;

    public bool irqs_disabled { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    public int preempt_count { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    public bool need_resched { get => Access.CrossCpu(cpu, field); set => field = Access.CrossCpu(cpu, value); }

    /// <summary>The local timer interrupt is raised and not yet taken.</summary>
    public bool tick_pending { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    /// <summary>Nesting of hard interrupts being handled (in_hardirq()).</summary>
    public int hardirq { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    /// <summary>
    /// Statements run since the last tick was raised (the rate model of KernelConfig.StatementsPerJiffy).
    /// Anyone may read it: readers only ask whether the CPU has run out its jiffy, which a statement
    /// that leaves it mid-jiffy does not change.
    /// </summary>
    public int statements_since_tick { get; set => field = Access.PerCpu(cpu, value); }

    /// <summary>The CPU is halted in arch_cpu_idle() until an interrupt.</summary>
    public bool in_wfi { get => Access.ReadPublished(cpu, field); set => field = Access.WritePublished(cpu, value); }

    /// <summary>Armed hrtimers: at or after <c>expires</c>, the timer interrupt wakes <c>task</c> (the vCPU's halt timer).</summary>
    public List<(int expires, TaskStruct task)> hrtimers { get => Access.PerCpu(cpu, field); } = [];

    public TaskStruct? curr { get => Access.CrossCpu(cpu, field); set => field = Access.CrossCpu(cpu, value); }

    /// <summary>Runnable tasks other than curr, in wakeup order.</summary>
    public List<TaskStruct> runqueue { get => Access.CrossCpu(cpu, field); } = [];

    /// <summary>The rcuc/N kthread of this CPU (use_softirq=0 / PREEMPT_RT), if any.</summary>
    public TaskStruct? rcuc { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    /// <summary>Variants A/B: per-CPU kvm_last_guest_exit, in jiffies; 0 means none recorded.</summary>
    public int kvm_last_guest_exit { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    /// <summary>Variant C: context_tracking.in_guest_run_loop.</summary>
    public bool in_guest_run_loop { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    public override string ToString() => $"cpu{cpu}";
}
