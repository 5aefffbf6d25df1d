using Verify.Kernel.Machine;

namespace Verify.Kernel.Irq;

/// <summary>
/// Work a protocol adds to the scheduling-clock interrupt: update_process_times() calls it on the CPU
/// the tick interrupted, after rcu_sched_clock_irq() and before the expired hrtimers run, as it
/// calls the kernel's own per-tick functions (a statistic sampled each tick, a deadline checked).
/// Its statements are steps of the interrupt handler: interrupts off, at hard-interrupt level 1.
/// A hook is registered while the model is built and holds no state of its own; what it updates
/// lives in the model's state (a <see cref="PerCpu{T}"/> a task also reaches).
/// </summary>
public interface ITickHook
{
    /// <param name="user">user_mode(regs): the tick arrived while the task ran in user space.</param>
    IEnumerable<Stmt> Run(KernelState k, CpuState c, bool user);
}
