using Verify.Specifications;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>rcu_gp_cleanup(): rcu_seq_end() ended the grace period; its waiters may now free memory.</summary>
public sealed class RcuGpCleanup(int gpSeq, int jiffies) : Monitor.Event
{
    public int GpSeq { get; } = gpSeq;

    public int Jiffies { get; } = jiffies;
}
