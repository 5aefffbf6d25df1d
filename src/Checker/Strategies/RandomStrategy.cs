namespace Verify.Strategies;

/// <summary>Picks uniformly among enabled operations at every step. Fair with probability one.</summary>
public sealed class RandomStrategy(ulong seed) : IStrategy
{
    private Prng rng;
    private ulong iterationSeed;

    public bool IsFair => true;

    public string Describe() => $"random(seed={iterationSeed})";

    public bool PrepareIteration(int iteration)
    {
        iterationSeed = Prng.IterationSeed(seed, iteration);
        rng = new Prng(iterationSeed);
        return true;
    }

    public int PickOperation(ReadOnlySpan<int> enabled, int current) => enabled.Length == 1 ? 0 : rng.Next(enabled.Length);

    public int PickValue(int bound) => rng.Next(bound);
}
