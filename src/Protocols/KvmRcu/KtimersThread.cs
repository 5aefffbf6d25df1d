using Verify.Protocols.Kernel;

namespace Verify.Protocols.KvmRcu;

/// <summary>
/// ktimers/N, a SCHED_FIFO kthread (PREEMPT_RT timer softirq) that an hrtimer wakes once: it
/// preempts the vCPU thread in host mode, runs a few statements of kernel work and, when told to,
/// migrates the preempted vCPU to another CPU (load balancing) before it sleeps again.
/// </summary>
public sealed class KtimersThread(int cpu, int work, int migrateVcpuTo) : TaskStruct($"ktimers/{cpu}", schedFifo: true, cpu)
{
    internal TaskStruct? vcpu;

    protected internal override IEnumerable<string> Body(KernelState k)
    {
        long_work = true;
        for (int i = 0; i < work; i++)
        {
            yield return $"run_timer_softirq ({i + 1}/{work})";
        }

        long_work = false;

        CpuState c = k.cpus[cpu];
        if (migrateVcpuTo >= 0 && vcpu is not null && c.runqueue.Remove(vcpu))
        {
            // The preempted vCPU moves to the other CPU's run queue (move_queued_task).
            vcpu.cpu = migrateVcpuTo;
            CpuState target = k.cpus[migrateVcpuTo];
            target.runqueue.Add(vcpu);
            target.need_resched = true;
            k.Kick(target);
            yield return $"move_queued_task: {vcpu.comm} -> cpu{migrateVcpuTo}";
        }

        while (true)
        {
            state = TaskState.Blocked;
            foreach (string s in Scheduler.Schedule(k, k.cpus[cpu], "ktimers"))
            {
                yield return s;
            }
        }
    }
}
