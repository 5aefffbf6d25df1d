using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Sync;

/// <summary>wait_queue_head_t: tasks asleep until an event; a waiter takes no step while it sleeps.</summary>
public sealed class WaitQueue(string name)
{
    public string name { get; } = name;

    public List<TaskStruct> waiters { get => Access.Shared(field); } = [];

    /// <summary>prepare_to_wait(): queue <paramref name="t"/> and set it TASK_UNINTERRUPTIBLE, in the caller's statement.</summary>
    public void PrepareToWait(TaskStruct t)
    {
        if (!waiters.Contains(t))
        {
            waiters.Add(t);
        }

        t.state = TaskState.Blocked;
    }

    /// <summary>finish_wait(): dequeue and run again.</summary>
    public void FinishWait(TaskStruct t)
    {
        waiters.Remove(t);
        t.state = TaskState.Running;
    }

    /// <summary>wake_up_all() with autoremove_wake_function(): every waiter is woken and dequeued.</summary>
    public void WakeUpAll(KernelState k)
    {
        foreach (TaskStruct w in waiters)
        {
            Scheduler.WakeUpProcess(k, w);
        }

        waiters.Clear();
    }

    /// <summary>
    /// wait_event(wq, condition) for a condition the caller checks: sleeps while
    /// <paramref name="done"/> says no; the check, the queueing and the switch are one step, so no
    /// wakeup is lost between them.
    /// </summary>
    public IEnumerable<Stmt> WaitEvent(KernelState k, TaskStruct t, IWaitCondition done, string where)
    {
        Lockdep.MightSleep(k, t, where);
        while (!done.IsTrue(k))
        {
            PrepareToWait(t);
            yield return Scheduler.Sleep(k, t, where);
        }

        FinishWait(t);
        yield return $"{where}: wait_event({name}) returns";
    }
}
