namespace Verify.Strategies;

/// <summary>
/// Chooses what runs next and answers random choices. The engine passes only enabled operation
/// ids, in ascending order and never empty; a strategy never filters, counts steps or looks at actors.
/// </summary>
public interface IStrategy
{
    /// <summary>Short description written into traces, e.g. <c>pct(changes=3, seed=9127)</c>.</summary>
    string Describe();

    /// <summary>Prepares iteration <paramref name="iteration"/>; false when there is nothing left to explore.</summary>
    bool PrepareIteration(int iteration);

    /// <summary>Returns an index into <paramref name="enabled"/>; <paramref name="current"/> is the id that ran last, or 0.</summary>
    int PickOperation(ReadOnlySpan<int> enabled, int current);

    /// <summary>Returns a value in [0, bound); a coin flip is PickValue(2).</summary>
    int PickValue(int bound);

    /// <summary>Fair strategies run every enabled operation eventually, so liveness is checked by temperature.</summary>
    bool IsFair { get; }
}
