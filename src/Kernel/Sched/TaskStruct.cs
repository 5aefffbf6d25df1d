using Verify.Kernel.Machine;
using Verify.Specifications;

namespace Verify.Kernel.Sched;

/// <summary>
/// A task (task_struct): a body of kernel code written as an iterator, one statement per
/// <c>yield return</c> (the text describes the statement just executed, for the trace). A task
/// runs on whichever CPU it is current on, so it can be preempted and migrated between steps:
/// its code reads its CPU's variables afresh after every statement where preemption is enabled.
/// </summary>
public abstract class TaskStruct
{
    protected TaskStruct(string comm, bool schedFifo, int cpu)
    {
        this.comm = comm;
        sched_fifo = schedFifo;
        this.cpu = cpu;
    }

    [Frozen]
    public readonly string comm;

    /// <summary>SCHED_FIFO: preempts a CFS task as soon as it is woken (rcuc/N is one).</summary>
    [Frozen]
    public readonly bool sched_fifo;

    /// <summary>task->__state.</summary>
    public TaskState state { get => Access.CrossCpu(cpu, field); set => field = Access.CrossCpu(cpu, value); } = TaskState.Running;

    /// <summary>task->on_rq: queued on its CPU's run queue, or running there.</summary>
    public bool on_rq { get => Access.CrossCpu(cpu, field); set => field = Access.CrossCpu(cpu, value); }

    /// <summary>task_cpu(): the CPU whose run queue holds the task.</summary>
    public int cpu { get => Access.CrossCpu(field, field); set => field = Access.CrossCpu(field, value); }

    /// <summary>user_mode(regs): the task is executing in user space (a tick there is a tick "from user").</summary>
    public bool user_mode { get => Access.CrossCpu(cpu, field); set => field = Access.CrossCpu(cpu, value); }

    /// <summary>Where select_task_rq() places the task when it is next woken; -1 keeps its CPU.</summary>
    public int wake_cpu { get => Access.CrossCpu(cpu, field); set => field = Access.CrossCpu(cpu, value); } = -1;

    /// <summary>migrate_disable() nesting: while positive the task stays on its CPU (it may still be preempted).</summary>
    public int migration_disabled { get => Access.CrossCpu(cpu, field); set => field = Access.CrossCpu(cpu, value); }

    /// <summary>
    /// Locks the task holds, innermost last (lockdep's held_locks); made on the first lock, so a
    /// model that takes none carries no list in every state it hashes.
    /// </summary>
    public List<Sync.KernelLock> held_locks { get => Access.CrossCpu(cpu, field ??= []); }

    /// <summary>The task's code: its body at the bottom, called functions and a preemption frame above it.</summary>
    internal List<IEnumerator<Stmt>> frames { get => Access.CrossCpu(cpu, field); } = [];

    /// <summary>The task's code; <paramref name="k"/> is the kernel it runs in.</summary>
    protected internal abstract IEnumerable<Stmt> Body(KernelState k);

    /// <summary>this_cpu: the variables of the CPU the task runs on now (read it again after any preemption point).</summary>
    protected CpuState ThisCpu(KernelState k) => k.cpus[cpu];

    /// <summary>schedule_timeout() for a housekeeping kthread: sleeps <paramref name="jiffies"/> jiffies, woken by the tick.</summary>
    protected IEnumerable<Stmt> ScheduleTimeout(KernelState k, int jiffies)
    {
        int wakeAt = k.jiffies + jiffies;
        while (KernelState.TimeBefore(k.jiffies, wakeAt))
        {
            state = TaskState.Blocked;
            k.sleepers.Add((wakeAt, this));
            yield return Stmt.Sleep("schedule_timeout: schedule()");
        }
    }

    /// <summary>
    /// task->preempt_notifiers, in registration order; made on the first registration, so a task
    /// that never registers one carries no list in every state it hashes.
    /// </summary>
    private List<IPreemptNotifier>? preempt_notifiers { get => Access.CrossCpu(cpu, field); set => field = Access.CrossCpu(cpu, value); }

    /// <summary>preempt_notifier_register(): <paramref name="n"/> runs at every switch of this task from now on.</summary>
    public void PreemptNotifierRegister(IPreemptNotifier n) => (preempt_notifiers ??= []).Add(n);

    /// <summary>preempt_notifier_unregister().</summary>
    public void PreemptNotifierUnregister(IPreemptNotifier n)
    {
        preempt_notifiers?.Remove(n);
        if (preempt_notifiers is { Count: 0 })
        {
            preempt_notifiers = null;
        }
    }

    /// <summary>The task has preempt notifiers registered now.</summary>
    internal bool HasPreemptNotifiers => preempt_notifiers is { Count: > 0 };

    /// <summary>fire_sched_out_preempt_notifiers(): each notifier's sched_out, in order.</summary>
    internal IEnumerable<Stmt> FireSchedOutPreemptNotifiers(KernelState k, CpuState c)
    {
        foreach (IPreemptNotifier n in preempt_notifiers!.ToList())
        {
            yield return Stmt.Call(n.SchedOut(k, c, this));
        }
    }

    /// <summary>fire_sched_in_preempt_notifiers(): each notifier's sched_in, in order.</summary>
    internal void FireSchedInPreemptNotifiers(KernelState k, CpuState c)
    {
        foreach (IPreemptNotifier n in preempt_notifiers!)
        {
            n.SchedIn(k, c, this);
        }
    }

    public override string ToString() => comm;
}
