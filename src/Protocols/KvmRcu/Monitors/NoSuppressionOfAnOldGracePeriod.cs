using Verify.Actors;
using Verify.Kernel.Rcu.Tree;
using Verify.Specifications;

namespace Verify.Protocols.KvmRcu.Monitors;

/// <summary>
/// The heuristics' promise to RCU: no heuristic (nor the patience delay) keeps rcu_core() off a
/// nohz_full CPU once the grace period is <c>Limit</c> jiffies old, min(patience, 1 s), the age at
/// which rcu_nohz_full_cpu() (and the patience test) stop the early return. Checked at each
/// suppression against the age of the grace period in progress.
/// </summary>
public sealed class NoSuppressionOfAnOldGracePeriod : Monitor
{
    private int limit = int.MaxValue;
    private int gpStart;
    private int gpSeq;
    private bool inProgress;

    /// <summary>Sets the age limit in jiffies; a monitor event, so it is recorded in the trace.</summary>
    public sealed class SetLimit(int jiffies) : Event
    {
        public int Jiffies { get; } = jiffies;
    }

    [Start]
    [OnEventDoAction(typeof(SetLimit), nameof(OnSetLimit))]
    [OnEventDoAction(typeof(RcuGpInit), nameof(OnGpInit))]
    [OnEventDoAction(typeof(RcuGpCleanup), nameof(OnGpCleanup))]
    [OnEventDoAction(typeof(RcuPendingSuppressed), nameof(OnSuppressed))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnSetLimit(Event e) => limit = ((SetLimit)e).Jiffies;

    private void OnGpInit(Event e)
    {
        var g = (RcuGpInit)e;
        gpStart = g.Jiffies;
        gpSeq = g.GpSeq;
        inProgress = true;
    }

    private void OnGpCleanup() => inProgress = false;

    private void OnSuppressed(Event e)
    {
        // With no grace period in progress the suppression only delays noting one that ended.
        var s = (RcuPendingSuppressed)e;
        Assert(!inProgress || s.Jiffies - gpStart < limit,
            "rcu_pending() on cpu{0} was suppressed by {1} at jiffies {2}, when grace period {3} (started at jiffies {4}) was {5} jiffies old: past the {6}-jiffy limit of min(patience, 1 s).",
            s.Cpu, s.Reason, s.Jiffies, gpSeq, gpStart, s.Jiffies - gpStart, limit);
    }
}
