namespace Verify.Strategies;

/// <summary>Rotates through strategies, one per iteration, so a campaign mixes their strengths.</summary>
public sealed class PortfolioStrategy(IReadOnlyList<IStrategy> strategies) : IStrategy
{
    private IStrategy current = strategies[0];

    public bool IsFair => current.IsFair;

    public string Describe() => current.Describe();

    public bool PrepareIteration(int iteration)
    {
        current = strategies[iteration % strategies.Count];
        return current.PrepareIteration(iteration);
    }

    public int PickOperation(ReadOnlySpan<int> enabled, int current) => this.current.PickOperation(enabled, current);

    public int PickValue(int bound) => current.PickValue(bound);
}
