using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Protocols.KvmRcu;

/// <summary>
/// A SCHED_FIFO kthread that an hrtimer wakes once: it preempts the vCPU thread in host mode, runs a
/// few statements of work (a threaded interrupt handler, irq/30-eth0), or, as the stopper thread
/// migration/N does for active load balancing, moves the preempted vCPU to another CPU's run
/// queue; then it sleeps again.
/// </summary>
public sealed class IrqThread(int cpu, int work, int migrateVcpuTo)
    : TaskStruct(migrateVcpuTo >= 0 ? $"migration/{cpu}" : $"irq/30-eth0", schedFifo: true, cpu)
{
    internal TaskStruct? vcpu;

    protected override IEnumerable<Stmt> Body(KernelState k)
    {
        for (int i = 0; i < work; i++)
        {
            yield return Stmt.LongWork(migrateVcpuTo >= 0 ? $"migration_cpu_stop ({i + 1}/{work})" : $"irq_thread_fn: e1000_intr ({i + 1}/{work})");
        }

        // The preempted vCPU moves to the other CPU's run queue.
        if (migrateVcpuTo >= 0 && vcpu is not null && Scheduler.MoveQueuedTask(k, vcpu, migrateVcpuTo))
        {
            yield return $"move_queued_task: {vcpu.comm} -> cpu{migrateVcpuTo}";
        }

        while (true)
        {
            state = TaskState.Blocked;
            yield return Stmt.Call(Scheduler.Schedule(k, this, SchedMode.Voluntary, comm));
        }
    }
}
