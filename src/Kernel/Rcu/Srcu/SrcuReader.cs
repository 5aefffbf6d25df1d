namespace Verify.Kernel.Rcu.Srcu;

/// <summary>One SRCU read-side critical section: the rank srcu_read_lock() returned, for the matching unlock.</summary>
public sealed class SrcuReader
{
    /// <summary>The number the monitors know it by; -1 until srcu_read_lock() counted it.</summary>
    public int id { get; set; } = -1;

    /// <summary>The value srcu_read_lock() returned.</summary>
    public int idx { get; set; }

    /// <summary>The CPU whose counter srcu_read_lock() incremented.</summary>
    public int cpu { get; set; }
}
