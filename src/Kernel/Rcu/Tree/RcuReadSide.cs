using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Specifications;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>
/// rcu_read_lock() and rcu_read_unlock() for a task on a modelled CPU. The substrate's RCU is
/// non-preemptible, so a reader is a preempt-disabled region:
/// a tick inside it is no quiescent state (rcu_flavor_sched_clock_irq() sees preempt_count != 0),
/// no context switch can happen inside it, and the CPU is not in an extended quiescent state, so
/// no grace period that was in progress or started while the reader ran can end before
/// rcu_read_unlock(). Each section is reported (<see cref="RcuReadLock"/>/<see cref="RcuReadUnlock"/>)
/// for the grace-period monitor. Housekeeping kthreads owe no quiescent states, so they may not read.
/// </summary>
public static class RcuReadSide
{
    /// <summary>rcu_read_lock(): preempt_disable() and the start of a read-side critical section (nesting allowed).</summary>
    public static IEnumerable<Stmt> RcuReadLock(KernelState k, TaskStruct t)
    {
        if (t.cpu < 0)
        {
            throw new InvalidOperationException($"{t.comm} is a housekeeping kthread: housekeeping CPUs owe RCU no quiescent states, so their readers are not protected; read on a modelled CPU.");
        }

        CpuState c = k.cpus[t.cpu];
        c.preempt_count++;
        int reader = k.nextReader++;
        k.rcu_state.rcu_data[c.cpu].readers.Add(reader);
        k.Observe(new RcuReadLock(reader, c.cpu));
        yield return "rcu_read_lock()";
    }

    /// <summary>rcu_read_unlock(): the innermost section ends; preempt_enable() may preempt the task there.</summary>
    public static IEnumerable<Stmt> RcuReadUnlock(KernelState k, TaskStruct t)
    {
        CpuState c = k.cpus[t.cpu];
        List<int> readers = k.rcu_state.rcu_data[c.cpu].readers;
        Specification.Assert(readers.Count > 0, "WARNING: rcu_read_unlock() by {0} on cpu{1} outside any read-side critical section.", t.comm, c.cpu);
        int reader = readers[^1];
        readers.RemoveAt(readers.Count - 1);
        k.Observe(new RcuReadUnlock(reader));
        yield return Stmt.Call(Scheduler.PreemptEnable(k, t, "rcu_read_unlock"));
    }

    /// <summary>rcu_read_lock_held(): the task is inside a read-side critical section.</summary>
    public static bool RcuReadLockHeld(KernelState k, TaskStruct t) => t.cpu >= 0 && k.rcu_state.rcu_data[t.cpu].readers.Count > 0;
}
