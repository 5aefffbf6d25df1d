using Verify.Specifications;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>
/// rcu_pending() returned 0 on a nohz_full CPU with work for rcu_core() because of a hook or the
/// patience delay (not because the CPU was in user mode or idle); <c>Reason</c> names which.
/// </summary>
public sealed class RcuPendingSuppressed(int cpu, int jiffies, string reason) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public int Jiffies { get; } = jiffies;

    public string Reason { get; } = reason;
}
