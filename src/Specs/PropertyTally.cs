using Verify.Specifications;

namespace Verify.Specs;

/// <summary>
/// Counts instead of failing: a statistics run hands one to the monitors, which then record each
/// violation and go on.
/// </summary>
public interface IPropertyTally
{
    void Violation(string property);
}

/// <summary>Switches a monitor from asserting to counting into the tally.</summary>
public sealed class CountInto(IPropertyTally tally) : Monitor.Event
{
    public IPropertyTally Tally { get; } = tally;
}
