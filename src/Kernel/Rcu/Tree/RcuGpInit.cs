using Verify.Specifications;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>rcu_gp_init(): rcu_seq_start() began grace period <c>GpSeq</c> at the given jiffies.</summary>
public sealed class RcuGpInit(int gpSeq, int jiffies) : Monitor.Event
{
    public int GpSeq { get; } = gpSeq;

    public int Jiffies { get; } = jiffies;
}
