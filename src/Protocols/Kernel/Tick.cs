using Verify.Protocols.Kernel.Rcu;

namespace Verify.Protocols.Kernel;

/// <summary>The scheduling-clock interrupt on a nohz_full CPU: tick_sched_timer() -> update_process_times().</summary>
internal static class Tick
{
    internal static IEnumerable<string> Handler(KernelState k, CpuState c)
    {
        bool user = c.ct.state == CtState.User;
        c.irqs_disabled = true;
        c.hardirq++;
        if (!k.config.MutantIrqEnterDoesNotWatch)
        {
            c.ct.IrqEnter();
        }
        else
        {
            c.ct.nmi_nesting++;
        }

        yield return "irq_enter_rcu: ct_irq_enter()";

        // An interrupt handler reads RCU-protected data too (run_local_timers and friends).
        int reader = k.nextReader++;
        k.Observe(new Specs.Rcu.ReaderBegin(reader, c.cpu));
        yield return "update_process_times: rcu_read_lock()";
        k.Observe(new Specs.Rcu.ReaderEnd(reader));
        yield return "update_process_times: rcu_read_unlock()";

        foreach (string s in TreeRcu.RcuSchedClockIrq(k, c, user))
        {
            yield return s;
        }

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

        c.ct.IrqExit();
        c.hardirq--;
        c.irqs_disabled = false;
        yield return "irq_exit_rcu: ct_irq_exit()";
    }
}
