using Verify.Kernel.ContextTracking;
using Verify.Kernel.Sched;
using Verify.Specifications;

namespace Verify.Kernel.Machine;

/// <summary>The per-CPU variables of one CPU that the models touch.</summary>
public sealed class CpuState
{
    public CpuState(int cpu, bool nohzFull, int ctWorkBits = 0, int ctRcuWatchingWidth = 0)
    {
        this.cpu = cpu;
        nohz_full = nohzFull;

        // nohz_full implies context tracking of user and guest mode on the CPU (ct->active).
        ct = new ContextTrackingState(cpu, ctWorkBits, ctRcuWatchingWidth) { active = nohzFull };
    }

    [Frozen]
    public readonly int cpu;

    /// <summary>tick_nohz_full_cpu(): the CPU is in the nohz_full mask.</summary>
    [Frozen]
    public readonly bool nohz_full;

    public readonly ContextTrackingState ct;

    public bool irqs_disabled { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    /// <summary>
    /// preempt_count, a per-CPU variable as on x86: every context switch happens at the same count,
    /// so it belongs to the CPU rather than the task. Hard-interrupt nesting is kept in <see cref="hardirq"/>.
    /// </summary>
    public int preempt_count { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    private bool needResched;
    private bool tickPending;

    public bool need_resched { get => Access.CrossCpu(cpu, needResched); set => needResched = Access.CrossCpu(cpu, value); }

    /// <summary>The local timer interrupt is raised and not yet taken.</summary>
    public bool tick_pending { get => Access.PerCpu(cpu, tickPending); set => tickPending = Access.PerCpu(cpu, value); }

    /// <summary>
    /// The call-function IPI state of this CPU (its call_single_queue), once the machine has IPIs
    /// (<see cref="Irq.Smp.Boot"/>); null on a machine without, which then never reads it.
    /// </summary>
    public Irq.CallSingleQueue? call_single_queue { get; internal set; }

    /// <summary>
    /// An interrupt is raised and not yet taken: the tick, or the call-function IPI. The IPI state
    /// is written by other CPUs, so on a machine with IPIs the question is a shared read; callers ask
    /// it only where interrupts are enabled.
    /// </summary>
    internal bool InterruptPending => tick_pending || (call_single_queue?.ipi_pending ?? false);

    /// <summary>
    /// Takes the raised interrupt of highest priority (the call-function vector is above the
    /// timer's) and clears it; null if none is raised. The caller has checked interrupts are enabled.
    /// </summary>
    internal Irq.IrqVector? AckInterrupt()
    {
        if (call_single_queue is { ipi_pending: true } q)
        {
            q.ipi_pending = false;
            return Irq.IrqVector.CallFunction;
        }

        if (tick_pending)
        {
            tick_pending = false;
            return Irq.IrqVector.LocalTimer;
        }

        return null;
    }

    /// <summary>
    /// The rate model's view of a halted CPU: halted with no interrupt raised, so time may pass over
    /// it. Anyone may ask: while the CPU is halted only its wakeup (a shared step) changes the answer.
    /// </summary>
    internal bool HaltedQuietly => in_wfi && !tickPending && !needResched && !(call_single_queue?.Raised ?? false);

    /// <summary>Nesting of hard interrupts being handled (in_hardirq()).</summary>
    public int hardirq { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    /// <summary>
    /// Statements run since the last tick was raised (the rate model of KernelConfig.StatementsPerJiffy).
    /// Anyone may read it: readers only ask whether the CPU has run out its jiffy, which a statement
    /// that leaves it mid-jiffy does not change.
    /// </summary>
    public int statements_since_tick { get; set => field = Access.PerCpu(cpu, value); }

    /// <summary>The CPU is halted (in arch_cpu_idle(), or running a guest) until an interrupt.</summary>
    public bool in_wfi { get => Access.ReadPublished(cpu, field); set => field = Access.WritePublished(cpu, value); }

    /// <summary>Armed hrtimers: at or after <c>expires</c>, the timer interrupt wakes <c>task</c> (a halted task's timer).</summary>
    public List<(int expires, TaskStruct task)> hrtimers { get => Access.PerCpu(cpu, field); } = [];

    public TaskStruct? curr { get => Access.CrossCpu(cpu, field); set => field = Access.CrossCpu(cpu, value); }

    /// <summary>Runnable tasks other than curr, in wakeup order.</summary>
    public List<TaskStruct> runqueue { get => Access.CrossCpu(cpu, field); } = [];

    public override string ToString() => $"cpu{cpu}";
}
