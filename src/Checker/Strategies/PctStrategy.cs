using System.Diagnostics;

namespace Verify.Strategies;

/// <summary>
/// Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010): every operation gets a
/// random priority when first seen, the highest-priority enabled one runs, and at <c>changePoints</c>
/// random steps the running operation drops to the lowest priority. A bug of depth d is found with
/// probability at least 1/(n k^(d-1)) per run for n operations and k steps.
/// </summary>
public sealed class PctStrategy : IStrategy
{
    private readonly ulong seed;
    private readonly int changePoints;
    private readonly int lengthHint;
    private readonly List<int> priorities = [];   // operation ids, highest priority first
    private readonly HashSet<int> changeSteps = [];
    private Prng rng;
    private ulong iterationSeed;
    private int multiSteps;
    private bool[] known = new bool[16];

    /// <param name="lengthHint">Expected number of steps with two or more enabled operations; change points fall in [1, hint].</param>
    public PctStrategy(ulong seed, int changePoints, int lengthHint)
    {
        this.seed = seed;
        this.changePoints = changePoints;
        this.lengthHint = Math.Max(1, lengthHint);
    }

    public bool IsFair => false;

    public string Describe() => $"pct(changes={changePoints}, seed={iterationSeed})";

    public bool PrepareIteration(int iteration)
    {
        iterationSeed = Prng.IterationSeed(seed, iteration);
        rng = new Prng(iterationSeed);
        priorities.Clear();
        Array.Clear(known);
        multiSteps = 0;
        changeSteps.Clear();
        int points = Math.Min(changePoints, lengthHint);
        while (changeSteps.Count < points)
        {
            changeSteps.Add(1 + rng.Next(lengthHint));
        }

        return true;
    }

    public int PickOperation(ReadOnlySpan<int> enabled, int current)
    {
        foreach (int id in enabled)
        {
            if (id >= known.Length)
            {
                Array.Resize(ref known, Math.Max(known.Length * 2, id + 1));
            }

            if (!known[id])
            {
                known[id] = true;
                priorities.Insert(rng.Next(priorities.Count + 1), id);
            }
        }

        if (enabled.Length == 1)
        {
            return 0;
        }

        // Count change points only when two or more operations are enabled; a switch with one
        // candidate changes nothing (PCT paper, section 4.1).
        multiSteps++;
        int top = HighestEnabled(enabled);
        if (changeSteps.Contains(multiSteps))
        {
            priorities.Remove(enabled[top]);
            priorities.Add(enabled[top]);
            top = HighestEnabled(enabled);
        }

        return top;
    }

    public int PickValue(int bound) => rng.Next(bound);

    private int HighestEnabled(ReadOnlySpan<int> enabled)
    {
        foreach (int id in priorities)
        {
            int i = enabled.IndexOf(id);
            if (i >= 0)
            {
                return i;
            }
        }

        Debug.Fail("every enabled operation has a priority");
        return 0;
    }
}
