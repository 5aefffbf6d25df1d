using Verify.Kernel.Machine;

namespace Verify.Kernel.Sched;

/// <summary>
/// migration/N, the stopper thread: a SCHED_FIFO kthread that an hrtimer wakes once (an affinity
/// change, active load balancing). It preempts the task running on its CPU, and if that task is
/// queued and may migrate, moves it to another CPU's run queue (move_queued_task()); then it
/// sleeps for good. Arm it with <see cref="Arm"/>.
/// </summary>
public sealed class MigrationThread(int cpu, TaskStruct victim, int to) : TaskStruct($"migration/{cpu}", schedFifo: true, cpu)
{
    /// <summary>Sleeps until an hrtimer on its CPU wakes it <paramref name="jiffies"/> after boot.</summary>
    public void Arm(KernelState k, int jiffies)
    {
        state = TaskState.Blocked;
        on_rq = false;
        k.cpus[cpu].hrtimers.Add((k.jiffies + jiffies, this));
    }

    protected internal override IEnumerable<Stmt> Body(KernelState k)
    {
        bool moved = Scheduler.MoveQueuedTask(k, victim, to);
        yield return moved
            ? $"migration_cpu_stop: move_queued_task({victim.comm} -> cpu{to})"
            : $"migration_cpu_stop: {victim.comm} is running, asleep or pinned (migrate_disable()): stays";
        while (true)
        {
            state = TaskState.Blocked;
            yield return Stmt.Call(Scheduler.Schedule(k, this, SchedMode.Voluntary, comm));
        }
    }
}
