using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>
/// call_rcu() from any CPU. The modelled CPUs are offloaded (rcu_nocbs), so every callback lands on
/// the one callback list the grace-period kthread drains in rcu_do_batch() after rcu_gp_cleanup():
/// the same list and grace-period snapshot <see cref="CallRcuCaller"/> uses, with a function attached.
/// </summary>
public static class RcuCallbacks
{
    /// <summary>call_rcu(head, func): queue <paramref name="func"/> behind a full grace period that starts after now; returns the callback's number.</summary>
    public static int CallRcu(KernelState k, IRcuCallback func)
    {
        RcuState rs = k.rcu_state;
        int id = k.nextCallback++;

        // The mutant settles for the grace period in progress instead of a full one after now.
        rs.cblist.Add((id, k.config.MutantCallbackRidesCurrentGracePeriod ? (rs.gp_seq + 1) & ~1 : rs.SeqSnap()));
        rs.callbacks.Add((id, func));
        k.Observe(new CallRcu(id));
        TreeRcu.RcuStartThisGp(k);
        return id;
    }

    /// <summary>rcu_do_batch() invoking callback <paramref name="id"/>: runs its function, if it has one.</summary>
    internal static void Invoke(KernelState k, TaskStruct gpKthread, int id)
    {
        List<(int id, IRcuCallback func)> callbacks = k.rcu_state.callbacks;
        for (int i = 0; i < callbacks.Count; i++)
        {
            if (callbacks[i].id == id)
            {
                IRcuCallback func = callbacks[i].func;
                callbacks.RemoveAt(i);
                func.Invoke(k, gpKthread);
                return;
            }
        }
    }
}
