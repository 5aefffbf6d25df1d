using Verify.Specifications;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>rcu_do_batch() invoked the callback.</summary>
public sealed class RcuDoBatch(int callback, int jiffies) : Monitor.Event
{
    public int Callback { get; } = callback;

    public int Jiffies { get; } = jiffies;
}
