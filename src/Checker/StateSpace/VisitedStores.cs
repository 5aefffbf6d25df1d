using Verify.SystematicTesting;

namespace Verify.StateSpace;

/// <summary>Makes the visited store a configuration asks for, for one search or for the workers of a parallel one.</summary>
internal static class VisitedStores
{
    internal static IVisitedStore Create(Configuration config) => config.StateStore switch
    {
        StateStore.HashCompact64 => new FingerprintSet(),
        StateStore.Bitstate => new BitstateSet(config.BitstateLog2Bits, config.BitstateHashes, config.SearchOrderSeed),
        _ => new VisitedSet(),
    };

    /// <summary>One store the workers share: the hash tables in segments behind locks, a bitstate table as it is (its bits are set atomically).</summary>
    internal static IVisitedStore CreateShared(Configuration config) => config.StateStore == StateStore.Bitstate
        ? Create(config)
        : new SegmentedVisitedSet(() => Create(config));
}
