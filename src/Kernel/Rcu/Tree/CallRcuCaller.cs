using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>
/// A housekeeping task calling call_rcu() <c>count</c> times at jiffies the exploration chooses:
/// each callback waits for a full grace period that starts after it is queued.
/// </summary>
public sealed class CallRcuCaller(int count, int spread) : TaskStruct("call_rcu", schedFifo: false, cpu: -1)
{
    protected internal override IEnumerable<Stmt> Body(KernelState k)
    {
        RcuState rs = k.rcu_state;
        for (int i = 0; i < count; i++)
        {
            yield return Stmt.Call(ScheduleTimeout(k, k.RandomInteger(Math.Max(1, spread))));
            int id = k.nextCallback++;

            // The mutant settles for the grace period in progress instead of a full one after now.
            rs.cblist.Add((id, k.config.MutantCallbackRidesCurrentGracePeriod ? (rs.gp_seq + 1) & ~1 : rs.SeqSnap()));
            k.Observe(new CallRcu(id));
            TreeRcu.RcuStartThisGp(k);
            yield return $"call_rcu(callback {id})";
        }
    }
}
