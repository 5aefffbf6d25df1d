using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Tree;

namespace Verify.Kernel.Sched;

/// <summary>A reduced scheduler: SCHED_FIFO tasks before CFS tasks, the idle task last; each step of __schedule() one statement.</summary>
public static class Scheduler
{
    /// <summary>
    /// try_to_wake_up(): makes <paramref name="p"/> runnable; a task that left its run queue is
    /// enqueued on the CPU select_task_rq() picks (its <see cref="TaskStruct.wake_cpu"/> hint, else
    /// its CPU). A FIFO task preempts a CFS one; any task preempts idle.
    /// </summary>
    public static void WakeUpProcess(KernelState k, TaskStruct p)
    {
        if (p.state == TaskState.Running)
        {
            return;
        }

        if (p.cpu < 0)
        {
            // A housekeeping kthread: its CPU runs it when it is next free.
            k.WakeHousekeeping(p);
            return;
        }

        p.state = TaskState.Running;
        if (p.on_rq)
        {
            // Preempted before it could sleep: it is still queued (ttwu_runnable()).
            return;
        }

        if (p.wake_cpu >= 0 && p.migration_disabled == 0)
        {
            p.cpu = p.wake_cpu;
            p.wake_cpu = -1;
        }

        CpuState c = k.cpus[p.cpu];
        p.on_rq = true;
        c.runqueue.Add(p);
        CheckPreemptCurr(k, c, p);
    }

    /// <summary>
    /// move_queued_task(): moves a queued (not running) task to <paramref name="target"/>'s run queue
    /// and asks that CPU to reschedule; false when the task is not queued on its CPU.
    /// </summary>
    public static bool MoveQueuedTask(KernelState k, TaskStruct p, int target)
    {
        if (p.migration_disabled > 0 || !k.cpus[p.cpu].runqueue.Remove(p))
        {
            return false;
        }

        p.cpu = target;
        CpuState t = k.cpus[target];
        t.runqueue.Add(p);
        CheckPreemptCurr(k, t, p);
        return true;
    }

    /// <summary>
    /// pick_next_task(): a runnable SCHED_FIFO prev keeps the CPU (FIFO does not round-robin), else
    /// the first FIFO task queued, else the first CFS task queued, else a runnable prev, else idle.
    /// </summary>
    private static TaskStruct PickNextTask(KernelState k, CpuState c, TaskStruct prev)
    {
        bool prevRunnable = prev.on_rq && prev is not IdleTask;
        if (prevRunnable && prev.sched_fifo)
        {
            return prev;
        }

        TaskStruct? next = c.runqueue.FirstOrDefault(t => t.sched_fifo) ?? c.runqueue.FirstOrDefault();
        if (next is null)
        {
            return prevRunnable ? prev : k.idle[c.cpu];
        }

        c.runqueue.Remove(next);
        return next;
    }

    /// <summary>check_preempt_curr(): a woken or moved task preempts idle, and a FIFO task preempts a CFS one.</summary>
    private static void CheckPreemptCurr(KernelState k, CpuState c, TaskStruct p)
    {
        if (c.curr is IdleTask || (p.sched_fifo && c.curr is { sched_fifo: false }))
        {
            // resched_curr(): set TIF_NEED_RESCHED and send the reschedule IPI.
            c.need_resched = true;
            k.Kick(c);
        }
    }

    /// <summary>
    /// schedule(), preempt_schedule() or schedule_idle() by the current task <paramref name="prev"/>:
    /// notes the RCU quiescent state, fires the sched-out notifiers and switches. After the switch
    /// the CPU runs the next task; this code resumes (possibly on another CPU) when prev is switched
    /// back in, with interrupts off and preemption disabled until finish_task_switch() and
    /// schedule() return.
    /// </summary>
    public static IEnumerable<Stmt> Schedule(KernelState k, TaskStruct prev, SchedMode mode, string caller)
    {
        do
        {
            CpuState c = k.cpus[prev.cpu];

            // schedule(): preempt_disable(); __schedule(): local_irq_disable(); rcu_note_context_switch().
            // The idle loop already runs with preemption disabled.
            if (mode != SchedMode.Idle)
            {
                c.preempt_count++;
            }

            c.irqs_disabled = true;
            TreeRcu.RcuNoteContextSwitch(k, c);
            yield return $"{caller}: __schedule: rcu_note_context_switch()";

            // clear_tsk_need_resched(); a task that set itself to sleep leaves the run queue unless preempted.
            c.need_resched = false;
            if (prev.state != TaskState.Running && mode != SchedMode.Preempt)
            {
                prev.on_rq = false;
            }

            TaskStruct next = PickNextTask(k, c, prev);
            if (next == prev)
            {
                // Nothing else to run: prev keeps the CPU and no notifier fires.
                c.irqs_disabled = false;
                if (mode != SchedMode.Idle)
                {
                    c.preempt_count--;
                }

                yield return $"{caller}: __schedule: {prev.comm} keeps cpu{c.cpu}";
                continue;
            }

            // prepare_task_switch(): the sched-out preempt notifiers run before the switch.
            if (prev.HasPreemptNotifiers)
            {
                yield return Stmt.Call(prev.FireSchedOutPreemptNotifiers(k, c));
            }

            if (prev.on_rq && prev is not IdleTask && !c.runqueue.Contains(prev))
            {
                c.runqueue.Add(prev);
            }

            c.curr = next;
            next.cpu = c.cpu;
            next.on_rq = true;
            if (next.frames.Count == 0)
            {
                // A task that never ran starts in schedule_tail(), which finishes the switch for it
                // (the idle task, which a real kernel keeps in schedule_idle(), likewise).
                next.frames.Add(next.Body(k).GetEnumerator());
                next.frames.Add(ScheduleTail(k, next).GetEnumerator());
            }

            k.Observe(new ContextSwitch(c.cpu, k.jiffies, prev.comm, next.comm, next is IdleTask, caller));
            yield return $"{caller}: context_switch({prev.comm} -> {next.comm})";

            // Resumed: prev is current again, on whichever CPU switched it in. finish_task_switch()
            // enables interrupts, then runs the sched-in notifiers with preemption still off;
            // schedule() then drops its preemption count (merged into the last statement: a tick
            // between the two could neither preempt nor see a quiescent state either way).
            c = k.cpus[prev.cpu];
            c.irqs_disabled = false;
            if (prev.HasPreemptNotifiers)
            {
                yield return "finish_task_switch: finish_lock_switch(): local_irq_enable()";
                c = k.cpus[prev.cpu];
                prev.FireSchedInPreemptNotifiers(k, c);
                if (mode != SchedMode.Idle)
                {
                    c.preempt_count--;
                }

                yield return "finish_task_switch: fire_sched_in_preempt_notifiers(); schedule: sched_preempt_enable_no_resched()";
            }
            else
            {
                if (mode != SchedMode.Idle)
                {
                    c.preempt_count--;
                }

                yield return "finish_task_switch: local_irq_enable(); schedule: sched_preempt_enable_no_resched()";
            }
        }
        while (mode != SchedMode.Idle && k.cpus[prev.cpu].need_resched && prev.state == TaskState.Running);
    }

    /// <summary>
    /// schedule() for a task that set itself to sleep: a modelled CPU switches away; a housekeeping
    /// kthread gives its CPU to the next kthread until woken.
    /// </summary>
    public static Stmt Sleep(KernelState k, TaskStruct t, string caller) =>
        t.cpu < 0 ? Stmt.Sleep($"{caller}: schedule()") : Stmt.Call(Schedule(k, t, SchedMode.Voluntary, caller));

    /// <summary>schedule_tail(): a new task's first code finishes the context switch that started it.</summary>
    private static IEnumerable<Stmt> ScheduleTail(KernelState k, TaskStruct t)
    {
        CpuState c = k.cpus[t.cpu];
        c.irqs_disabled = false;
        if (t is IdleTask)
        {
            yield return "finish_task_switch: finish_lock_switch(): local_irq_enable()";
            yield break;
        }

        c.preempt_count--;
        yield return "schedule_tail: finish_task_switch(); preempt_enable()";
    }

    /// <summary>
    /// preempt_enable(): decrements the count and tests need_resched in one instruction, as x86's
    /// preempt_count_dec_and_test() does; if both say so, preempt_schedule() runs on this CPU.
    /// </summary>
    public static IEnumerable<Stmt> PreemptEnable(KernelState k, TaskStruct self, string where)
    {
        CpuState c = k.cpus[self.cpu];
        c.preempt_count--;
        bool resched = c.preempt_count == 0 && c.need_resched && !c.irqs_disabled;
        yield return $"{where}: preempt_enable()";
        if (resched)
        {
            yield return Stmt.Call(Schedule(k, self, SchedMode.Preempt, "preempt_schedule"));
        }
    }
}
