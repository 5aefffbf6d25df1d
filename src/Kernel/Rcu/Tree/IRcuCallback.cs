using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>
/// The function of a struct rcu_head: what rcu_do_batch() runs once the callback's grace period has
/// ended. An object, not a delegate, so the callback list stays state the search can hash.
/// </summary>
public interface IRcuCallback
{
    /// <summary>Runs in rcu_do_batch()'s step on the housekeeping CPU, as <paramref name="t"/> (the grace-period kthread).</summary>
    void Invoke(KernelState k, TaskStruct t);
}
