using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Irq;

/// <summary>
/// The scheduling-clock interrupt's handler: tick_sched_timer() -> update_process_times(), between
/// the entry and exit every interrupt has (<see cref="IrqEntry"/>), with the protocol's
/// <see cref="KernelState.tick_hooks"/>.
/// </summary>
internal static class Tick
{
    /// <param name="user">user_mode(regs): the interrupt arrived while the task ran in user space.</param>
    internal static IEnumerable<Stmt> Handler(KernelState k, CpuState c, bool user)
    {
        // An interrupt handler reads RCU-protected data too (run_local_timers and friends).
        int reader = k.nextReader++;
        k.Observe(new RcuReadLock(reader, c.cpu));
        yield return "update_process_times: rcu_read_lock()";
        k.Observe(new RcuReadUnlock(reader));
        yield return "update_process_times: rcu_read_unlock()";

        yield return Stmt.Call(TreeRcu.RcuSchedClockIrq(k, c, user));

        // By index: an enumerator of the list, alive across the hooks' steps, would make it state.
        for (int i = 0; i < k.tick_hooks.Count; i++)
        {
            yield return Stmt.Call(k.tick_hooks[i].Run(k, c, user));
        }

        // hrtimer_interrupt(): expired timers wake their tasks (a halted task's timer).
        for (int i = c.hrtimers.Count - 1; i >= 0; i--)
        {
            (int expires, TaskStruct task) = c.hrtimers[i];
            if (!KernelState.TimeBefore(k.jiffies, expires))
            {
                c.hrtimers.RemoveAt(i);
                Scheduler.WakeUpProcess(k, task);
                yield return $"hrtimer_interrupt: wake {task.comm}";
            }
        }
    }
}
