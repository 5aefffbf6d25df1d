namespace Verify.Strategies;

/// <summary>
/// Random, but keeps running the current operation unless <c>coinFlips</c> coins all come up
/// heads (probability 2^-n), so long uninterrupted runs of one actor are likely (Coyote's probabilistic).
/// </summary>
public sealed class ProbabilisticStrategy(ulong seed, int coinFlips) : IStrategy
{
    private Prng rng;
    private ulong iterationSeed;

    public bool IsFair => true;

    public string Describe() => $"probabilistic(flips={coinFlips}, seed={iterationSeed})";

    public bool PrepareIteration(int iteration)
    {
        iterationSeed = Prng.IterationSeed(seed, iteration);
        rng = new Prng(iterationSeed);
        return true;
    }

    public int PickOperation(ReadOnlySpan<int> enabled, int current)
    {
        if (enabled.Length == 1)
        {
            return 0;
        }

        int i = enabled.IndexOf(current);
        if (i >= 0 && !AllHeads())
        {
            return i;
        }

        return rng.Next(enabled.Length);
    }

    public int PickValue(int bound) => rng.Next(bound);

    private bool AllHeads()
    {
        for (int k = 0; k < coinFlips; k++)
        {
            if (!rng.NextBool())
            {
                return false;
            }
        }

        return true;
    }
}
