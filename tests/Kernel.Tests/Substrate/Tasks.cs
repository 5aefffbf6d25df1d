using Verify.Kernel.ContextTracking;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Specifications;

namespace Kernel.Tests.Substrate;

/// <summary>A kernel task doing long work forever (softirq-like), noting for an observer that it made progress.</summary>
internal sealed class LongWorker() : TaskStruct("worker", schedFifo: false, cpu: 0)
{
    /// <summary>A statement of the task ran since the last do_timer().</summary>
    internal bool ranSinceTimer;

    /// <summary>A do_timer() has been seen.</summary>
    internal bool timerSeen;

    protected internal override IEnumerable<Stmt> Body(KernelState k)
    {
        while (true)
        {
            ranSinceTimer = true;
            yield return Stmt.LongWork("long work");
        }
    }
}

/// <summary>A task that never leaves user mode; each of its statements checks that its CPU's context tracking says so.</summary>
internal sealed class UserLoop(int cpu) : TaskStruct("user", schedFifo: false, cpu)
{
    protected internal override IEnumerable<Stmt> Body(KernelState k)
    {
        while (true)
        {
            CpuState c = ThisCpu(k);
            Specification.Assert(user_mode, "user code runs on cpu{0} with user_mode(regs) false", c.cpu);
            Specification.Assert(c.preempt_count == 0, "user code runs on cpu{0} at preempt_count {1}", c.cpu, c.preempt_count);
            Specification.Assert(
                !c.ct.active || (c.ct.state == CtState.User && !c.ct.Watching),
                "user code runs on cpu{0} with ct->state {1} and rcu_watching {2}: it returned to user without ct_user_enter()",
                c.cpu,
                c.ct.state,
                c.ct.rcu_watching);
            yield return Stmt.LongWork("user work");
        }
    }
}

/// <summary>A vCPU-like loop: interrupts off, guest entry, the guest runs until a host interrupt, guest exit, interrupts on.</summary>
internal sealed class GuestRunner() : TaskStruct("guest", schedFifo: false, cpu: 0)
{
    protected internal override IEnumerable<Stmt> Body(KernelState k)
    {
        while (true)
        {
            CpuState c = ThisCpu(k);
            c.irqs_disabled = true;
            yield return "local_irq_disable()";
            c.ct.UserEnter(CtState.Guest);
            yield return "guest_context_enter_irqoff()";
            yield return Stmt.RunGuest("guest runs until a VM exit");
            c.ct.UserExit();
            yield return "guest_context_exit_irqoff()";
            c.irqs_disabled = false;
            yield return "local_irq_enable()";
        }
    }
}

/// <summary>
/// A SCHED_FIFO kthread that an hrtimer wakes: it runs <paramref name="work"/> statements, moves
/// <paramref name="victim"/> (if any, and queued) to cpu <paramref name="to"/> as migration/N does, then sleeps for good.
/// </summary>
internal sealed class FifoKthread(string comm, int cpu, int work, TaskStruct? victim = null, int to = -1) : TaskStruct(comm, schedFifo: true, cpu)
{
    protected internal override IEnumerable<Stmt> Body(KernelState k)
    {
        for (int i = 0; i < work; i++)
        {
            yield return $"{comm}: work ({i + 1}/{work})";
        }

        if (victim is not null && Scheduler.MoveQueuedTask(k, victim, to))
        {
            yield return $"move_queued_task: {victim.comm} -> cpu{to}";
        }

        while (true)
        {
            state = TaskState.Blocked;
            yield return Stmt.Call(Scheduler.Schedule(k, this, SchedMode.Voluntary, comm));
        }
    }
}

/// <summary>A kernel task that sets itself TASK_INTERRUPTIBLE, checks its condition, and calls schedule(); nobody wakes it.</summary>
internal sealed class Sleeper() : TaskStruct("sleeper", schedFifo: false, cpu: 0)
{
    /// <summary>The task ran its condition check after setting its state and reached schedule().</summary>
    internal bool reachedSchedule;

    protected internal override IEnumerable<Stmt> Body(KernelState k)
    {
        state = TaskState.Blocked;
        yield return "set_current_state(TASK_INTERRUPTIBLE)";
        yield return "if (condition) break";
        reachedSchedule = true;
        while (true)
        {
            yield return Stmt.Call(Scheduler.Schedule(k, this, SchedMode.Voluntary, "schedule"));
        }
    }
}

/// <summary>A kernel task in a preempt_disable()/preempt_enable() loop; it checks the count is its own 1 inside.</summary>
internal sealed class PreemptToggler() : TaskStruct("toggler", schedFifo: false, cpu: 0)
{
    protected internal override IEnumerable<Stmt> Body(KernelState k)
    {
        while (true)
        {
            CpuState c = ThisCpu(k);
            c.preempt_count++;
            Specification.Assert(c.preempt_count == 1, "preempt_disable() on cpu{0} made preempt_count {1}", c.cpu, c.preempt_count);
            yield return "preempt_disable()";
            yield return "critical section";
            yield return Stmt.Call(Scheduler.PreemptEnable(k, this, "toggler"));
        }
    }
}
