using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.Srcu.Monitors;

/// <summary>
/// P-SR-L3: srcu_get_delay() returns a delay in [0, SRCU_MAX_INTERVAL = 10] jiffies to every caller,
/// and cleanup_srcu_struct(), called after the updater's last grace period has returned, reaches none
/// of its WARN_ON()s (its first: an expedited grace period still wanted, srcu_get_delay() == 0).
/// </summary>
public sealed class DelayInRange : Monitor
{
    [Start]
    [OnEventDoAction(typeof(SrcuDelayComputed), nameof(OnDelay))]
    [OnEventDoAction(typeof(CleanupWarned), nameof(OnWarn))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnDelay(Event e)
    {
        var d = (SrcuDelayComputed)e;
        Assert(d.Delay >= 0 && d.Delay <= 10,
            "P-SR-L3: srcu_get_delay() returned {0} jiffies to {1} (grace period {2}, {3}, now {4}): outside [0, 10].",
            d.Delay, d.Caller, d.GpSeq, d.GpStart is long start ? $"started at jiffy {start}" : "start not recorded", d.Jiffies);
    }

    private void OnWarn(Event e) =>
        Assert(false, "P-SR-L3: cleanup_srcu_struct() warned: WARN_ON({0}).", ((CleanupWarned)e).Condition);
}
