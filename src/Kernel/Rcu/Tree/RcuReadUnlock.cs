using Verify.Specifications;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>rcu_read_unlock(): the reader left its critical section.</summary>
public sealed class RcuReadUnlock(int reader) : Monitor.Event
{
    public int Reader { get; } = reader;
}
