namespace Verify.StateSpace;

/// <summary>
/// A stateful search's order of trying a state's operations, from <see cref="Configuration.SearchOrderSeed"/>:
/// a permutation drawn from the seed and the state's hash, so the same state is always expanded in
/// the same order and a search stays deterministic. Different seeds reach different parts of a
/// large space first, which is what a swarm of searches relies on.
/// </summary>
internal static class SearchOrder
{
    /// <summary>Permutes <paramref name="ops"/> (Fisher-Yates) for the state of <paramref name="hash"/>; seed 0 leaves them in order.</summary>
    internal static void Shuffle(Span<int> ops, ulong seed, UInt128 hash)
    {
        if (seed == 0 || ops.Length < 2)
        {
            return;
        }

        ulong x = Mix(seed ^ (ulong)hash) ^ (ulong)(hash >> 64);
        for (int i = ops.Length - 1; i > 0; i--)
        {
            x = Mix(x);
            int j = (int)(x % (ulong)(i + 1));
            (ops[i], ops[j]) = (ops[j], ops[i]);
        }
    }

    /// <summary>The SplitMix64 finalizer: a bijection on 64 bits that spreads every input bit.</summary>
    internal static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
