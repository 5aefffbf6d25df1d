using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sched;
using Verify.Kernel.Sync;

namespace Verify.Kernel.Lifetime;

/// <summary>
/// synchronize_rcu() for a task on a modelled CPU, as code that frees after unpublishing calls it
/// (an eviction that waits for readers before freeing). The grace-period kthread wakes only
/// housekeeping kthreads, so the waiter sleeps as a halted CPU does: it halts until the next
/// interrupt and looks at rcu_state.gp_seq again, which lets the tick report this CPU's quiescent
/// state (a tick in kernel code with preempt_count() == 0) while it waits.
/// </summary>
public static class SynchronizeRcuOnCpu
{
    public static IEnumerable<Stmt> SynchronizeRcu(KernelState k, TaskStruct t)
    {
        if (t.cpu < 0)
        {
            yield return Stmt.Call(SynchronizeRcuCaller.SynchronizeRcu(k, t));
            yield break;
        }

        Lockdep.MightSleep(k, t, "synchronize_rcu");
        RcuState rs = k.rcu_state;
        int target = rs.SeqSnap();
        k.Observe(new GpWaitBegan(t.comm, t.cpu));
        TreeRcu.RcuStartThisGp(k);
        yield return $"synchronize_rcu: rcu_start_this_gp(), wait for gp_seq {target}";
        while (rs.gp_seq - target < 0)
        {
            yield return Stmt.Halt("synchronize_rcu: wait_rcu_gp()");
        }

        yield return "synchronize_rcu: returns";
    }
}
