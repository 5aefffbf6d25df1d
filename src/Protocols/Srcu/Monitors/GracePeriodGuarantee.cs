using Verify.Actors;
using Verify.Kernel.Rcu.Srcu;
using Verify.Specifications;

namespace Verify.Protocols.Srcu.Monitors;

/// <summary>
/// P-SR-S1: synchronize_srcu_expedited() returns only after every SRCU reader that was in its
/// critical section when the call began has left it, whichever srcu_idx rank it counted on.
/// </summary>
public sealed class GracePeriodGuarantee : Monitor
{
    // reader -> (task, rank) while it is in its critical section.
    private readonly Dictionary<int, (string Task, int Idx)> active = [];

    // updater -> the readers active when its call began.
    private readonly Dictionary<string, List<int>> waitsFor = [];

    [Start]
    [OnEventDoAction(typeof(SrcuReadLocked), nameof(OnLock))]
    [OnEventDoAction(typeof(SrcuReadUnlocked), nameof(OnUnlock))]
    [OnEventDoAction(typeof(SynchronizeStarted), nameof(OnStart))]
    [OnEventDoAction(typeof(SynchronizeReturned), nameof(OnReturn))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnLock(Event e)
    {
        var l = (SrcuReadLocked)e;
        active[l.Reader] = (l.Task, l.Idx);
    }

    private void OnUnlock(Event e) => active.Remove(((SrcuReadUnlocked)e).Reader);

    private void OnStart(Event e) => waitsFor[((SynchronizeStarted)e).Updater] = active.Keys.Order().ToList();

    private void OnReturn(Event e)
    {
        string u = ((SynchronizeReturned)e).Updater;
        foreach (int r in waitsFor[u])
        {
            if (active.TryGetValue(r, out (string Task, int Idx) reader))
            {
                Assert(false,
                    "P-SR-S1: synchronize_srcu_expedited() by {0} returned while SRCU reader {1} ({2}, rank {3}), in its critical section since before the call, has not called srcu_read_unlock().",
                    u, r, reader.Task, reader.Idx);
            }
        }

        waitsFor.Remove(u);
    }
}
