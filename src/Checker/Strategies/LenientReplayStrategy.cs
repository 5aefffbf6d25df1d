using Verify.Traces;

namespace Verify.Strategies;

/// <summary>
/// Follows a list of decisions where the model allows it and falls back deterministically where it
/// does not: an operation that is not enabled runs the actor that ran last (if enabled) or the lowest
/// id, a value out of range or missing is 0, and value decisions met where the run schedules are
/// dropped. After the list, the fallback goes on. The minimizer runs edited traces with it; the strict
/// <see cref="ReplayStrategy"/> would reject them at the first edit.
/// </summary>
public sealed class LenientReplayStrategy(IReadOnlyList<Decision> plan, bool fair) : IStrategy
{
    private int next;

    public bool IsFair => fair;

    /// <summary>Decisions of this run the plan did not answer.</summary>
    public int Fallbacks { get; private set; }

    public string Describe() => "lenient-replay";

    public bool PrepareIteration(int iteration)
    {
        next = 0;
        Fallbacks = 0;
        return true;
    }

    public int PickOperation(ReadOnlySpan<int> enabled, int current)
    {
        while (next < plan.Count && plan[next].Kind != DecisionKind.Schedule)
        {
            next++;
        }

        if (next < plan.Count)
        {
            int i = enabled.IndexOf(plan[next++].Value);
            if (i >= 0)
            {
                return i;
            }
        }

        Fallbacks++;
        int keep = enabled.IndexOf(current);
        return keep >= 0 ? keep : 0;
    }

    public int PickValue(int bound)
    {
        if (next < plan.Count && plan[next].Kind != DecisionKind.Schedule)
        {
            Decision d = plan[next++];
            if (d.Value < bound)
            {
                return d.Value;
            }
        }

        Fallbacks++;
        return 0;
    }
}
