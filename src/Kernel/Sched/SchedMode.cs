namespace Verify.Kernel.Sched;

/// <summary>How __schedule() was entered: it decides whether a task that is not TASK_RUNNING leaves the run queue.</summary>
public enum SchedMode
{
    /// <summary>schedule(): a task that set itself to sleep is dequeued.</summary>
    Voluntary,

    /// <summary>preempt_schedule() / preempt_schedule_irq() (SM_PREEMPT): the task stays queued whatever its state.</summary>
    Preempt,

    /// <summary>schedule_idle() from the idle loop, which runs with preemption disabled.</summary>
    Idle,
}
