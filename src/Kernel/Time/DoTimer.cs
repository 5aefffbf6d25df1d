using Verify.Specifications;

namespace Verify.Kernel.Time;

/// <summary>do_timer(): jiffies advanced on the timekeeping CPU.</summary>
public sealed class DoTimer(int jiffies) : Monitor.Event
{
    public int Jiffies { get; } = jiffies;
}
