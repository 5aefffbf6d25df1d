using Verify.Actors;
using Verify.Specifications;

namespace Verify.Specs.Rcu;

/// <summary>
/// Bounded liveness of grace periods: once started, a grace period ends within <c>bound</c>
/// jiffies. Configure the bound with <see cref="SetBound"/> before the run starts. Checked on every
/// jiffies advance, so a run that stops the clock early proves nothing beyond the ticks it had.
/// </summary>
public sealed class GracePeriodCompletion : Monitor
{
    private int bound = int.MaxValue;
    private int gpSeq;
    private int startedAt;

    /// <summary>Sets the bound in jiffies; the notification is itself a monitor event so it is recorded in the trace.</summary>
    public sealed class SetBound(int jiffies) : Event
    {
        public int Jiffies { get; } = jiffies;
    }

    [Start]
    [Cold]
    [OnEventDoAction(typeof(SetBound), nameof(OnSetBound))]
    [OnEventDoAction(typeof(GracePeriodStart), nameof(OnStart))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Idle : State
    {
    }

    [OnEventGotoState(typeof(GracePeriodEnd), typeof(Idle))]
    [OnEventDoAction(typeof(JiffiesAdvanced), nameof(OnJiffies))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class InProgress : State
    {
    }

    private void OnSetBound(Event e) => bound = ((SetBound)e).Jiffies;

    private void OnStart(Event e)
    {
        var s = (GracePeriodStart)e;
        gpSeq = s.GpSeq;
        startedAt = s.Jiffies;
        RaiseGotoStateEvent<InProgress>();
    }

    private void OnJiffies(Event e)
    {
        int now = ((JiffiesAdvanced)e).Jiffies;
        Assert(now - startedAt <= bound,
            "Grace period {0} started at jiffies {1} is still in progress at jiffies {2}, beyond the bound of {3} jiffies.",
            gpSeq, startedAt, now, bound);
    }
}
