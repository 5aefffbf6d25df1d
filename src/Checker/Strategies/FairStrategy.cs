namespace Verify.Strategies;

/// <summary>
/// Runs an unfair strategy for a prefix of scheduling decisions, then picks uniformly at random,
/// so the tail of every run is fair and liveness can be judged (Coyote's fair-* strategies).
/// </summary>
public sealed class FairStrategy(IStrategy prefix, int prefixLength, ulong seed) : IStrategy
{
    private Prng rng;
    private int picks;

    public bool IsFair => true;

    public string Describe() => $"fair-{prefix.Describe()}";

    public bool PrepareIteration(int iteration)
    {
        picks = 0;
        rng = new Prng(Prng.IterationSeed(seed ^ 0xFA1FUL, iteration));
        return prefix.PrepareIteration(iteration);
    }

    public int PickOperation(ReadOnlySpan<int> enabled, int current) =>
        ++picks <= prefixLength ? prefix.PickOperation(enabled, current) : rng.Next(enabled.Length);

    public int PickValue(int bound) => picks <= prefixLength ? prefix.PickValue(bound) : rng.Next(bound);
}
