namespace Verify.Kernel.Memory;

/// <summary>
/// A CPU's views in Lkmm mode, each a position in every location's coherence order. A view only
/// grows, except that every position moves up by one when a store is inserted at or below it.
/// </summary>
internal sealed class LkmmCpu(int locations)
{
    /// <summary>The oldest store of each location the CPU may still read (or write after): coherence, and what acquires and fences brought in.</summary>
    internal int[] Cur { get; } = new int[locations];

    /// <summary>The views of the stores it read without acquire: what a later smp_rmb() or smp_mb() brings into <see cref="Cur"/>.</summary>
    internal int[] Acq { get; } = new int[locations];

    /// <summary>What its relaxed stores carry: <see cref="Cur"/> at its last smp_mb(), its own stores at its last smp_wmb().</summary>
    internal int[] Rel { get; } = new int[locations];

    /// <summary>Its own latest stores: smp_wmb() orders only these (it is not cumulative), so only these go into <see cref="Rel"/>.</summary>
    internal int[] Own { get; } = new int[locations];

    internal IEnumerable<int[]> Views => [Cur, Acq, Rel, Own];
}
