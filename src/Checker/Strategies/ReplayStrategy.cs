using Verify.Traces;

namespace Verify.Strategies;

/// <summary>
/// Answers every decision from a trace and checks each one against the model: an operation that
/// is not enabled, a decision of another kind, or a trace that runs out is a divergence, reported
/// with its step. A trace is never extended with fresh choices.
/// </summary>
public sealed class ReplayStrategy(IReadOnlyList<Decision> decisions, bool fair) : IStrategy
{
    private int next;

    public bool IsFair => fair;

    /// <summary>Decisions consumed so far.</summary>
    public int Consumed => next;

    public int Remaining => decisions.Count - next;

    public string Describe() => "replay";

    public bool PrepareIteration(int iteration)
    {
        next = 0;
        return iteration == 0;
    }

    public int PickOperation(ReadOnlySpan<int> enabled, int current)
    {
        Decision d = Take(DecisionKind.Schedule);
        int i = enabled.IndexOf(d.Value);
        if (i < 0)
        {
            throw new TraceDivergenceException(next,
                $"it schedules operation {d.Value}, but the enabled operations are [{string.Join(", ", enabled.ToArray())}]. "
                + "The model changed since the trace was recorded; run `verify test` for a fresh trace.");
        }

        return i;
    }

    public int PickValue(int bound) => throw new InvalidOperationException("checker bug: replay values go through PickValue(kind, bound); please attach the trace");

    /// <summary>A random value of the given kind; the trace must hold one of that kind and bound.</summary>
    public int PickValue(DecisionKind kind, int bound)
    {
        Decision d = Take(kind);
        if (kind == DecisionKind.Integer && d.Bound != bound)
        {
            throw new TraceDivergenceException(next,
                $"the trace answers RandomInteger({d.Bound}) but the model asks RandomInteger({bound}).");
        }

        return d.Value;
    }

    private Decision Take(DecisionKind kind)
    {
        if (next >= decisions.Count)
        {
            throw new TraceDivergenceException(next + 1,
                $"the trace ends after {decisions.Count} decisions but the model asks for {Name(kind)}; the trace is truncated or the model changed.");
        }

        Decision d = decisions[next++];
        if (d.Kind != kind)
        {
            throw new TraceDivergenceException(next,
                $"the trace has '{d}' but the model asks for {Name(kind)}. The model changed since the trace was recorded.");
        }

        return d;
    }

    private static string Name(DecisionKind kind) => kind switch
    {
        DecisionKind.Schedule => "a scheduling decision",
        DecisionKind.Boolean => "a random boolean",
        _ => "a random integer",
    };
}
