using System.Globalization;
using Verify.Actors;
using Verify.Kernel.Rcu.Srcu;
using Verify.Kernel.Time;
using Verify.Specifications;

namespace Verify.Protocols.Srcu.Monitors;

/// <summary>
/// P-SR-L2: an expedited grace period that no reader holds up completes without a timed sleep: while
/// a synchronize_srcu_expedited() call is in progress during which no reader has been in its critical
/// section, no SRCU work (the worker, or the callbacks' invocation) is queued with a nonzero delay.
/// The updaters' own srcu_read_lock() in srcu_gp_start_if_needed() is a reader only once a tick has
/// landed inside it: a read section held across a jiffy boundary is a blocking reader, where sleeping
/// is designed (in the kernel that section lasts microseconds, and the age rule needs it held about a
/// jiffy). The message names the cause: whether the worker's scan failed on an updater's own section
/// (no other reader open), or no scan failed on a read section at all.
/// </summary>
public sealed class ExpeditedNoSleep : Monitor
{
    private readonly HashSet<string> updaters = [];
    private readonly HashSet<int> readers = [];

    // The updaters' own srcu_read_lock() sections now open.
    private readonly HashSet<int> own = [];

    // updater in its call -> a reader has been active during it.
    private readonly Dictionary<string, bool> calls = [];

    // updater in its call -> scans that failed with no reader but the updaters' own open.
    private readonly Dictionary<string, int> ownScans = [];

    [Start]
    [OnEventDoAction(typeof(SrcuReadLocked), nameof(OnLock))]
    [OnEventDoAction(typeof(SrcuReadUnlocked), nameof(OnUnlock))]
    [OnEventDoAction(typeof(SynchronizeStarted), nameof(OnStart))]
    [OnEventDoAction(typeof(SynchronizeReturned), nameof(OnReturn))]
    [OnEventDoAction(typeof(SrcuWorkDelayed), nameof(OnDelayed))]
    [OnEventDoAction(typeof(DoTimer), nameof(OnTick))]
    [OnEventDoAction(typeof(SrcuScanFailed), nameof(OnScanFailed))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnLock(Event e)
    {
        var l = (SrcuReadLocked)e;
        if (updaters.Contains(l.Task))
        {
            own.Add(l.Reader);
            return;
        }

        readers.Add(l.Reader);
        SawReader();
    }

    private void SawReader()
    {
        foreach (string u in calls.Keys.ToList())
        {
            calls[u] = true;
        }
    }

    private void OnUnlock(Event e)
    {
        int r = ((SrcuReadUnlocked)e).Reader;
        readers.Remove(r);
        own.Remove(r);
    }

    // A tick inside an updater's own read section makes it a reader held across a jiffy boundary.
    private void OnTick(Event e)
    {
        if (own.Count > 0)
        {
            SawReader();
        }
    }

    // A scan that fails while no other reader is open failed on an updater's own section.
    private void OnScanFailed(Event e)
    {
        if (readers.Count == 0)
        {
            foreach (string u in calls.Keys)
            {
                ownScans[u] = ownScans.GetValueOrDefault(u) + 1;
            }
        }
    }

    private void OnStart(Event e)
    {
        string u = ((SynchronizeStarted)e).Updater;
        updaters.Add(u);
        calls[u] = readers.Count > 0;
        ownScans[u] = 0;
    }

    private void OnReturn(Event e)
    {
        string u = ((SynchronizeReturned)e).Updater;
        calls.Remove(u);
        ownScans.Remove(u);
    }

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
                "P-SR-L2: {0} queued {1} with a delay of {2} jiffies while {3}'s expedited grace period had no reader{4}: the updater sleeps at least until the next tick.",
                d.By, d.Work, d.Delay, u,
                ownScans[u] > 0
                    ? string.Create(CultureInfo.InvariantCulture, $" but an updater's own srcu_read_lock() in srcu_gp_start_if_needed(), held across no tick, on which the reader scan failed {ownScans[u]} times")
                    : " at all (no reader scan failed during it)");
        }
    }
}
