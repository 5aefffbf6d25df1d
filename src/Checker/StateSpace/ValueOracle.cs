using Verify.Strategies;

namespace Verify.StateSpace;

/// <summary>
/// Answers the random choices of one transition from a given prefix of answers, then 0 for the
/// rest; the runtime logs each choice with its bound, so the search can enumerate the others.
/// Scheduling never reaches it: the search picks the actor itself.
/// </summary>
internal sealed class ValueOracle : IStrategy
{
    private int[] answers = [];
    private int next;

    public bool IsFair => false;

    public string Describe() => "stateful";

    public bool PrepareIteration(int iteration) => true;

    public int PickOperation(ReadOnlySpan<int> enabled, int current) =>
        throw new InvalidOperationException("checker bug: stateful search schedules actors itself; please attach the trace");

    public int PickValue(int bound)
    {
        int v = next < answers.Length ? answers[next] : 0;
        next++;
        if (v >= bound)
        {
            throw new NondeterministicModelException(
                $"The model is not deterministic: a random choice offered {bound} values when rebuilding a state, fewer than the {v + 1} it offered before. "
                + "Models must take every choice from the engine (no clocks, System.Random or shared statics across iterations).");
        }

        return v;
    }

    internal void Reset(int[]? prefix)
    {
        answers = prefix ?? [];
        next = 0;
    }
}
