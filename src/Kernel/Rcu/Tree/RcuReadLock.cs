using Verify.Specifications;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>rcu_read_lock(): reader <c>Reader</c> entered a read-side critical section on a CPU.</summary>
public sealed class RcuReadLock(int reader, int cpu) : Monitor.Event
{
    public int Reader { get; } = reader;

    public int Cpu { get; } = cpu;
}
