namespace Verify.Strategies;

/// <summary>
/// Stateless depth-first search over every scheduling and random decision. Each iteration replays
/// the path prefix and takes the next untried choice at the deepest decision with one left; when
/// none is left the space (within the step bound) is exhausted.
/// </summary>
public sealed class DfsStrategy : IStrategy
{
    private readonly List<(int Chosen, int Count)> path = [];
    private bool started;
    private int depth;

    public bool IsFair => false;

    /// <summary>True once every path has been run.</summary>
    public bool Exhausted { get; private set; }

    public string Describe() => "dfs";

    public bool PrepareIteration(int iteration)
    {
        depth = 0;
        if (!started)
        {
            started = true;
            return true;
        }

        while (path.Count > 0 && path[^1].Chosen + 1 >= path[^1].Count)
        {
            path.RemoveAt(path.Count - 1);
        }

        if (path.Count == 0)
        {
            Exhausted = true;
            return false;
        }

        path[^1] = (path[^1].Chosen + 1, path[^1].Count);
        return true;
    }

    public int PickOperation(ReadOnlySpan<int> enabled, int current) => Pick(enabled.Length);

    public int PickValue(int bound) => Pick(bound);

    private int Pick(int count)
    {
        if (depth < path.Count)
        {
            (int chosen, int n) = path[depth];
            if (n != count)
            {
                throw new NondeterministicModelException(
                    $"The model is not deterministic: decision {depth + 1} offered {count} choices on replay but {n} before. "
                    + "Models must take every choice from the engine (no clocks, System.Random or shared statics across iterations).");
            }

            depth++;
            return chosen;
        }

        path.Add((0, count));
        depth++;
        return 0;
    }
}
