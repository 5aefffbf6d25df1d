using Verify.Actors;
using Verify.Kernel.Rcu.Srcu;
using Verify.Specifications;

namespace Verify.Protocols.Srcu.Monitors;

/// <summary>
/// P-SR-L2: an expedited grace period that no reader holds up completes without a timed sleep: while
/// a synchronize_srcu_expedited() call is in progress during which no reader (other than the
/// updaters' own srcu_read_lock() in srcu_gp_start_if_needed()) has been in its critical section, no
/// SRCU work (the worker, or the callbacks' invocation) is queued with a nonzero delay.
/// </summary>
public sealed class ExpeditedNoSleep : Monitor
{
    private readonly HashSet<string> updaters = [];
    private readonly HashSet<int> readers = [];

    // updater in its call -> a reader has been active during it.
    private readonly Dictionary<string, bool> calls = [];

    [Start]
    [OnEventDoAction(typeof(SrcuReadLocked), nameof(OnLock))]
    [OnEventDoAction(typeof(SrcuReadUnlocked), nameof(OnUnlock))]
    [OnEventDoAction(typeof(SynchronizeStarted), nameof(OnStart))]
    [OnEventDoAction(typeof(SynchronizeReturned), nameof(OnReturn))]
    [OnEventDoAction(typeof(SrcuWorkDelayed), nameof(OnDelayed))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnLock(Event e)
    {
        var l = (SrcuReadLocked)e;
        if (updaters.Contains(l.Task))
        {
            return;
        }

        readers.Add(l.Reader);
        foreach (string u in calls.Keys.ToList())
        {
            calls[u] = true;
        }
    }

    private void OnUnlock(Event e) => readers.Remove(((SrcuReadUnlocked)e).Reader);

    private void OnStart(Event e)
    {
        string u = ((SynchronizeStarted)e).Updater;
        updaters.Add(u);
        calls[u] = readers.Count > 0;
    }

    private void OnReturn(Event e) => calls.Remove(((SynchronizeReturned)e).Updater);

    private void OnDelayed(Event e)
    {
        var d = (SrcuWorkDelayed)e;
        if (d.Delay == 0 || !d.Queued)
        {
            return;
        }

        foreach ((string u, bool sawReader) in calls)
        {
            Assert(sawReader,
                "P-SR-L2: {0} queued {1} with a delay of {2} jiffies while {3}'s expedited grace period had no reader: the updater sleeps at least until the next tick.",
                d.By, d.Work, d.Delay, u);
        }
    }
}
