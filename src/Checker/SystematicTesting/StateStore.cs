namespace Verify;

/// <summary>
/// How a stateful search remembers the states it visited. Every store keeps a hash of each state,
/// not the state, so two states whose hashes agree in the kept bits are taken for one and the
/// second is not explored: the search's claim holds with the probability its summary gives.
/// </summary>
public enum StateStore
{
    /// <summary>96 bits of each state's 128-bit hash and its depth, 16 bytes a state (the default).</summary>
    HashCompact96,

    /// <summary>A 64-bit fingerprint, 8 bytes a state, without depths (SPIN's hash compaction).</summary>
    HashCompact64,

    /// <summary>
    /// A fixed table of 2^w bits; a state sets k of them, and one whose k bits are all set is taken
    /// as seen (SPIN's bitstate hashing, supertrace). Memory does not grow with the states; some
    /// states are omitted, and the summary estimates how many.
    /// </summary>
    Bitstate,
}

/// <summary>The sizes a <see cref="StateStore.Bitstate"/> table may have.</summary>
public static class StateStoreLimits
{
    /// <summary>The smallest table: 2^10 bits.</summary>
    public const int MinLog2Bits = 10;

    /// <summary>The largest table: 2^36 bits (8 GB).</summary>
    public const int MaxLog2Bits = 36;

    /// <summary>The most bits a state may set.</summary>
    public const int MaxHashes = 8;
}
