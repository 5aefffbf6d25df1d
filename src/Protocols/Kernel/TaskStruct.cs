namespace Verify.Protocols.Kernel;

/// <summary>TASK_RUNNING (runnable or running), a sleeping state, or TASK_DEAD.</summary>
public enum TaskState
{
    Running,
    Blocked,
    Dead,
}

/// <summary>
/// A task (task_struct): a body of kernel code written as an iterator, one statement per
/// <c>yield return</c> (the text describes the statement just executed, for the trace). A task
/// runs on whichever CPU it is current on, so it can be preempted and migrated between steps.
/// </summary>
public abstract class TaskStruct
{
    protected TaskStruct(string comm, bool schedFifo, int cpu)
    {
        this.comm = comm;
        sched_fifo = schedFifo;
        this.cpu = cpu;
    }

    public readonly string comm;

    /// <summary>SCHED_FIFO: preempts a CFS task as soon as it is woken (rcuc/N is one).</summary>
    public readonly bool sched_fifo;

    public TaskState state { get => Access.CrossCpu(cpu, field); set => field = Access.CrossCpu(cpu, value); } = TaskState.Running;

    /// <summary>task_cpu(): the CPU whose run queue holds the task.</summary>
    public int cpu { get => Access.CrossCpu(field, field); set => field = Access.CrossCpu(field, value); }

    /// <summary>The statement after which a CPU runs a guest until a host interrupt forces a VM exit (IRQs stay off).</summary>
    public const string WaitInGuest = "guest runs until a VM exit";

    /// <summary>The task is in long work (softirq processing, teardown): each statement takes a jiffy in the rate model.</summary>
    public bool long_work { get => Access.CrossCpu(cpu, field); set => field = Access.CrossCpu(cpu, value); }

    /// <summary>The task's code: its body at the bottom, and a preemption (schedule) frame above it while preempted.</summary>
    internal List<IEnumerator<string>> frames { get => Access.CrossCpu(cpu, field); } = [];

    /// <summary>The task's code; <paramref name="k"/> is the kernel it runs in.</summary>
    protected internal abstract IEnumerable<string> Body(KernelState k);

    /// <summary>schedule_timeout() for a housekeeping kthread: sleeps <paramref name="jiffies"/> jiffies, woken by the tick.</summary>
    protected IEnumerable<string> ScheduleTimeout(KernelState k, int jiffies)
    {
        int wakeAt = k.jiffies + jiffies;
        while (KernelState.TimeBefore(k.jiffies, wakeAt))
        {
            state = TaskState.Blocked;
            k.sleepers.Add((wakeAt, this));
            yield return KernelState.SleepStatement;
        }
    }

    /// <summary>Preempt notifier: the task is being switched out (kvm_sched_out for a vCPU thread).</summary>
    protected internal virtual IEnumerable<string> SchedOut(KernelState k, CpuState c) => [];

    /// <summary>Preempt notifier: the task was switched in (kvm_sched_in).</summary>
    protected internal virtual void SchedIn(KernelState k, CpuState c)
    {
    }

    public override string ToString() => comm;
}
