namespace Verify.StateSpace;

/// <summary>The visited states of a stateful search, however they are kept (<see cref="Verify.StateStore"/>).</summary>
internal interface IVisitedStore : IDisposable
{
    /// <summary>States taken as new so far.</summary>
    long Count { get; }

    /// <summary>Bytes the store holds outside the managed heap (memory reports add them).</summary>
    long Bytes { get; }

    /// <summary>Whether a shallower revisit of a state can be told from a revisit (the store keeps depths).</summary>
    bool KeepsDepths { get; }

    /// <summary>Adds a state reached at <paramref name="depth"/>; with <paramref name="reopen"/> a shallower revisit counts as new where depths are kept.</summary>
    Visit Add(UInt128 hash, int depth, bool reopen);
}
