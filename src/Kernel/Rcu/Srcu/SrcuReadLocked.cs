using Verify.Specifications;

namespace Verify.Kernel.Rcu.Srcu;

/// <summary>srcu_read_lock() counted reader <c>Reader</c> on rank <c>Idx</c> of CPU <c>Cpu</c>'s srcu_data.</summary>
public sealed class SrcuReadLocked(string srcu, int reader, int idx, int cpu, string task) : Monitor.Event
{
    /// <summary>The task that entered the section (an updater's own srcu_read_lock() in srcu_gp_start_if_needed() too).</summary>
    public string Task { get; } = task;

    public string Srcu { get; } = srcu;

    public int Reader { get; } = reader;

    public int Idx { get; } = idx;

    public int Cpu { get; } = cpu;
}
