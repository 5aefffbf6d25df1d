using Verify.Specifications;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>
/// invoke_rcu_core() woke rcuc/N (it was asleep): the SCHED_FIFO kthread will preempt whatever runs
/// there. <c>Capped</c> says why rcu_pending() did not return early when a reason to was there but
/// the grace period had reached rcu_nohz_full_cpu()'s one-second cap; null otherwise.
/// </summary>
public sealed class InvokeRcuCore(int cpu, int jiffies, string? capped = null) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public int Jiffies { get; } = jiffies;

    public string? Capped { get; } = capped;
}
