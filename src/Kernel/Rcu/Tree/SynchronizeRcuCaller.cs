using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>
/// A housekeeping task calling synchronize_rcu() <c>count</c> times, each after sleeping a number
/// of jiffies the exploration chooses (below <c>spread</c>), so grace periods start at any jiffy.
/// </summary>
public sealed class SynchronizeRcuCaller(int count, int spread) : TaskStruct("updater", schedFifo: false, cpu: -1)
{
    protected internal override IEnumerable<Stmt> Body(KernelState k)
    {
        for (int i = 0; i < count; i++)
        {
            yield return Stmt.Call(ScheduleTimeout(k, k.RandomInteger(Math.Max(1, spread))));
            yield return Stmt.Call(SynchronizeRcu(k, this));
        }
    }

    /// <summary>synchronize_rcu() by housekeeping kthread <paramref name="t"/>: starts a grace period if none covers it and sleeps until it ends.</summary>
    public static IEnumerable<Stmt> SynchronizeRcu(KernelState k, TaskStruct t)
    {
        if (t.cpu >= 0)
        {
            throw new InvalidOperationException($"{t.comm} calls synchronize_rcu() on cpu{t.cpu}: the model's grace-period kthread wakes housekeeping kthreads only; call it from one.");
        }

        RcuState rs = k.rcu_state;
        yield return "synchronize_rcu()";
        int target = rs.SeqSnap();
        TreeRcu.RcuStartThisGp(k);
        yield return $"synchronize_rcu: rcu_start_this_gp(), wait for gp_seq {target}";
        while (rs.gp_seq - target < 0)
        {
            t.state = TaskState.Blocked;
            rs.waiters.Add(t);
            yield return Stmt.Sleep("synchronize_rcu: wait_rcu_gp()");
        }

        yield return "synchronize_rcu: returns";
    }
}
