namespace Verify.Protocols.Kernel;

/// <summary>A reduced scheduler: SCHED_FIFO tasks before CFS tasks, the idle task last; context switches one statement each.</summary>
public static class Scheduler
{
    /// <summary>try_to_wake_up(): makes <paramref name="p"/> runnable on its CPU; a FIFO task preempts a CFS one.</summary>
    public static void WakeUpProcess(KernelState k, TaskStruct p)
    {
        if (p.state == TaskState.Running)
        {
            return;
        }

        p.state = TaskState.Running;
        CpuState c = k.cpus[p.cpu];
        c.runqueue.Add(p);
        if (c.curr is IdleTask || (p.sched_fifo && c.curr is { sched_fifo: false }))
        {
            // resched_curr(): set TIF_NEED_RESCHED and send the reschedule IPI.
            c.need_resched = true;
            k.Kick(c);
        }
    }

    /// <summary>pick_next_task(): the first FIFO task queued, else the first CFS task, else idle.</summary>
    private static TaskStruct PickNextTask(KernelState k, CpuState c)
    {
        TaskStruct? next = c.runqueue.FirstOrDefault(t => t.sched_fifo) ?? c.runqueue.FirstOrDefault();
        if (next is null)
        {
            return k.idle[c.cpu];
        }

        c.runqueue.Remove(next);
        return next;
    }

    /// <summary>
    /// __schedule(), run in the context of the current task: notes the RCU quiescent state, fires
    /// the sched-out notifiers and switches. After the switch the CPU runs the next task; this
    /// iterator resumes (possibly on another CPU) when the task is switched back in.
    /// </summary>
    public static IEnumerable<string> Schedule(KernelState k, CpuState c, string caller)
    {
        TaskStruct prev = c.curr!;
        c.irqs_disabled = true;
        c.preempt_count++;
        Rcu.TreeRcu.RcuNoteContextSwitch(k, c);
        yield return $"{caller}: __schedule: rcu_note_context_switch()";
        c.need_resched = false;
        TaskStruct next = PickNextTask(k, c);
        if (next == prev || (next is IdleTask && prev.state == TaskState.Running && prev is not IdleTask))
        {
            // Nothing else to run: prev keeps the CPU and no notifier fires.
            c.preempt_count--;
            c.irqs_disabled = false;
            yield return $"{caller}: __schedule: {prev.comm} keeps cpu{c.cpu}";
            yield break;
        }

        // prepare_task_switch(): the sched-out preempt notifiers run before the switch.
        foreach (string s in prev.SchedOut(k, c))
        {
            yield return s;
        }

        if (prev.state == TaskState.Running && prev is not IdleTask && !c.runqueue.Contains(prev))
        {
            c.runqueue.Add(prev);
        }

        c.curr = next;
        next.cpu = c.cpu;
        c.preempt_count--;
        c.irqs_disabled = false;
        k.Observe(new Specs.Latency.ContextSwitch(c.cpu, k.jiffies, prev.comm, next.comm, next is IdleTask));
        yield return $"{caller}: context_switch({prev.comm} -> {next.comm})";

        // Resumed: prev is current again, on whichever CPU switched it in.
        CpuState now = k.cpus[prev.cpu];
        prev.SchedIn(k, now);
        yield return "finish_task_switch: fire_sched_in_preempt_notifiers()";
    }

    /// <summary>preempt_enable(): drops the count and reschedules if a wakeup asked for it.</summary>
    public static IEnumerable<string> PreemptEnable(KernelState k, TaskStruct self, string where)
    {
        CpuState c = k.cpus[self.cpu];
        c.preempt_count--;
        yield return $"{where}: preempt_enable()";
        if (c.need_resched && c.preempt_count == 0 && !c.irqs_disabled)
        {
            foreach (string s in Schedule(k, c, "preempt_schedule"))
            {
                yield return s;
            }
        }
    }
}
