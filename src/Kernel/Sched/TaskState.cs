namespace Verify.Kernel.Sched;

/// <summary>TASK_RUNNING (runnable or running), a sleeping state (TASK_INTERRUPTIBLE and friends), or TASK_DEAD.</summary>
public enum TaskState
{
    Running,
    Blocked,
    Dead,
}
