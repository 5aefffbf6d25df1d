namespace Verify.Strategies;

/// <summary>
/// SplitMix64: small, fast and fully specified, so a seed means the same run on every .NET
/// version (System.Random makes no such promise). Also mixes (seed, iteration) into iteration seeds.
/// </summary>
public struct Prng
{
    private ulong state;

    public Prng(ulong seed) => state = seed;

    /// <summary>Seed of iteration <paramref name="iteration"/>: a hash of both, so nearby seeds share no runs.</summary>
    public static ulong IterationSeed(ulong seed, long iteration) =>
        Mix(Mix(seed ^ 0x9E3779B97F4A7C15UL) + (ulong)iteration);

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>Uniform in [0, bound) by multiply-shift (Lemire), without division.</summary>
    public int Next(int bound)
    {
        System.Diagnostics.Debug.Assert(bound > 0, "bound must be positive");
        return (int)(((NextULong() >> 32) * (ulong)(uint)bound) >> 32);
    }

    public bool NextBool() => (NextULong() & 1) == 1;
}
