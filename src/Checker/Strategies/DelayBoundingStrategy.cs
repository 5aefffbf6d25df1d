namespace Verify.Strategies;

/// <summary>
/// Random delay bounding (Emmi, Qadeer and Rakamaric, POPL 2011): a deterministic round-robin
/// scheduler that keeps the current operation while it is enabled, perturbed by <c>delays</c>
/// delays placed at random steps, each skipping to the next enabled operation in id order.
/// </summary>
public sealed class DelayBoundingStrategy : IStrategy
{
    private readonly ulong seed;
    private readonly int delays;
    private readonly int lengthHint;
    private readonly HashSet<int> delaySteps = [];
    private Prng rng;
    private ulong iterationSeed;
    private int multiSteps;

    public DelayBoundingStrategy(ulong seed, int delays, int lengthHint)
    {
        this.seed = seed;
        this.delays = delays;
        this.lengthHint = Math.Max(1, lengthHint);
    }

    public bool IsFair => false;

    public string Describe() => $"delay-bounding(delays={delays}, seed={iterationSeed})";

    public bool PrepareIteration(int iteration)
    {
        iterationSeed = Prng.IterationSeed(seed, iteration);
        rng = new Prng(iterationSeed);
        multiSteps = 0;
        delaySteps.Clear();
        int points = Math.Min(delays, lengthHint);
        while (delaySteps.Count < points)
        {
            delaySteps.Add(1 + rng.Next(lengthHint));
        }

        return true;
    }

    public int PickOperation(ReadOnlySpan<int> enabled, int current)
    {
        if (enabled.Length == 1)
        {
            return 0;
        }

        multiSteps++;
        int i = enabled.IndexOf(current);
        bool delay = delaySteps.Contains(multiSteps);
        if (i >= 0 && !delay)
        {
            return i;
        }

        // Next enabled operation after the current one, cyclically.
        for (int k = 0; k < enabled.Length; k++)
        {
            if (enabled[k] > current)
            {
                return k;
            }
        }

        return 0;
    }

    public int PickValue(int bound) => rng.Next(bound);
}
