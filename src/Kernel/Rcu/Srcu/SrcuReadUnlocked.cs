using Verify.Specifications;

namespace Verify.Kernel.Rcu.Srcu;

/// <summary>srcu_read_unlock() ended reader <c>Reader</c>'s critical section.</summary>
public sealed class SrcuReadUnlocked(string srcu, int reader) : Monitor.Event
{
    public string Srcu { get; } = srcu;

    public int Reader { get; } = reader;
}
