using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Irq;

/// <summary>
/// The scheduling-clock interrupt: irqentry_enter() -> tick_sched_timer() -> update_process_times()
/// -> irq_exit_rcu(). Interrupts stay disabled throughout; the return (irqentry_exit()) is the
/// CPU's step after the last statement here.
/// </summary>
internal static class Tick
{
    /// <param name="user">user_mode(regs): the interrupt arrived while the task ran in user space.</param>
    internal static IEnumerable<Stmt> Handler(KernelState k, CpuState c, bool user)
    {
        c.hardirq++;
        k.Observe(new TickTaken(c.cpu, k.jiffies, user));
        if (user)
        {
            // irqentry_enter_from_user_mode() -> enter_from_user_mode(): RCU watches from here on.
            EntryCommon.EnterFromUserMode(c);
            yield return "irqentry_enter_from_user_mode: ct_user_exit()";
        }
        else
        {
            // irqentry_enter() from the kernel: ct_irq_enter() makes RCU watch a CPU in an EQS.
            if (!k.config.MutantIrqEnterDoesNotWatch)
            {
                c.ct.IrqEnter();
            }
            else
            {
                c.ct.nmi_nesting++;
            }

            yield return "irqentry_enter: ct_irq_enter()";
        }

        // An interrupt handler reads RCU-protected data too (run_local_timers and friends).
        int reader = k.nextReader++;
        k.Observe(new RcuReadLock(reader, c.cpu));
        yield return "update_process_times: rcu_read_lock()";
        k.Observe(new RcuReadUnlock(reader));
        yield return "update_process_times: rcu_read_unlock()";

        yield return Stmt.Call(TreeRcu.RcuSchedClockIrq(k, c, user));

        // hrtimer_interrupt(): expired timers wake their tasks (a halted vCPU's timer).
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

        c.hardirq--;
        if (!user)
        {
            c.ct.IrqExit();
            yield return "irq_exit_rcu: ct_irq_exit()";
        }
        else
        {
            yield return "irq_exit_rcu()";
        }
    }
}
