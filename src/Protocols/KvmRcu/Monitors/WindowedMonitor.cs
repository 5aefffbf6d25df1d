using Verify.Specifications;
using Verify.Specs;

namespace Verify.Protocols.KvmRcu.Monitors;

/// <summary>
/// What the latency monitors share: a window in jiffies (set by <see cref="SetWindow"/>) and,
/// for statistics runs, a tally that counts violations instead of failing (<see cref="CountInto"/>).
/// </summary>
public abstract class WindowedMonitor : Monitor
{
    private IPropertyTally? tally;

    /// <summary>How soon after the triggering event a re-entry counts, in jiffies.</summary>
    protected int Window { get; private set; } = 1;

    /// <summary>The monitor counts into a tally instead of failing.</summary>
    protected bool Counting => tally is not null;

    public sealed class SetWindow(int jiffies) : Event
    {
        public int Jiffies { get; } = jiffies;
    }

    protected void OnSetWindow(Event e) => Window = ((SetWindow)e).Jiffies;

    protected void OnCountInto(Event e) => tally = ((CountInto)e).Tally;

    /// <summary>Asserts, or in a statistics run counts a violation and goes on.</summary>
    protected void Check(bool holds, string format, params object[] args)
    {
        if (tally is null)
        {
            Assert(holds, format, args);
        }
        else if (!holds)
        {
            tally.Violation(GetType().Name);
        }
    }
}
