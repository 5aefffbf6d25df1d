using Verify.Protocols.Kernel.Rcu;

namespace Verify.Protocols.Kernel;

/// <summary>The per-CPU variables of one CPU that the models touch.</summary>
public sealed class CpuState
{
    public CpuState(int cpu, bool nohzFull)
    {
        this.cpu = cpu;
        nohz_full = nohzFull;
        ct.active = nohzFull;
    }

    public readonly int cpu;

    /// <summary>tick_nohz_full_cpu(): the CPU is in the nohz_full mask.</summary>
    public readonly bool nohz_full;

    public readonly ContextTracking ct = new();

    /// <summary>This CPU's struct rcu_data.</summary>
    public readonly RcuData rdp = new();

    public bool irqs_disabled;

    public int preempt_count;

    public bool need_resched;

    /// <summary>The local timer interrupt is raised and not yet taken.</summary>
    public bool tick_pending;

    /// <summary>Nesting of hard interrupts being handled (in_hardirq()).</summary>
    public int hardirq;

    /// <summary>Statements run since the last tick was raised (the rate model of KernelConfig.StatementsPerJiffy).</summary>
    public int statements_since_tick;

    /// <summary>The CPU is halted in arch_cpu_idle() until an interrupt.</summary>
    public bool in_wfi;

    /// <summary>Armed hrtimers: at or after <c>expires</c>, the timer interrupt wakes <c>task</c> (the vCPU's halt timer).</summary>
    public readonly List<(int expires, TaskStruct task)> hrtimers = [];

    public TaskStruct? curr;

    /// <summary>Runnable tasks other than curr, in wakeup order.</summary>
    public readonly List<TaskStruct> runqueue = [];

    /// <summary>The rcuc/N kthread of this CPU (use_softirq=0 / PREEMPT_RT), if any.</summary>
    public TaskStruct? rcuc;

    /// <summary>Variants A/B: per-CPU kvm_last_guest_exit, in jiffies; 0 means none recorded.</summary>
    public int kvm_last_guest_exit;

    /// <summary>Variant C: context_tracking.in_guest_run_loop.</summary>
    public bool in_guest_run_loop;

    public override string ToString() => $"cpu{cpu}";
}
