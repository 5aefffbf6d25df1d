using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.VgicLpi.Monitors;

/// <summary>
/// P-VG-S6: a cache lookup that began after the last ITS command on its event had completed, with no
/// command running meanwhile, returns what that command left the event translating to (or misses):
/// never a translation a DISCARD or an unmap removed.
/// </summary>
public sealed class CacheCoherence : Monitor
{
    // Events' translations as the last completed command left them (absent: as at boot, unknown).
    private readonly Dictionary<int, string?> translation = [];

    // Bumped at every command's start and end: a lookup overlapping a command is not judged.
    private int epoch;

    private bool commandRunning;

    private readonly Dictionary<string, int> lookupEpoch = [];

    [Start]
    [OnEventDoAction(typeof(ItsCommandBegan), nameof(OnBegan))]
    [OnEventDoAction(typeof(ItsCommandDone), nameof(OnDone))]
    [OnEventDoAction(typeof(CacheLookupBegan), nameof(OnLookup))]
    [OnEventDoAction(typeof(CacheLookupEnded), nameof(OnResult))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnBegan()
    {
        epoch++;
        commandRunning = true;
    }

    private void OnDone(Event e)
    {
        var d = (ItsCommandDone)e;
        translation[d.Event] = d.Irq;
        epoch++;
        commandRunning = false;
    }

    private void OnLookup(Event e)
    {
        var l = (CacheLookupBegan)e;
        lookupEpoch[l.Task] = commandRunning ? -1 : epoch;
    }

    private void OnResult(Event e)
    {
        var r = (CacheLookupEnded)e;
        if (r.Irq is null || lookupEpoch[r.Task] != epoch || !translation.TryGetValue(r.Event, out string? now))
        {
            return;
        }

        Assert(now == r.Irq,
            "P-VG-S6: {0}'s cache lookup of event {1} returned {2}, but the ITS command that completed before the lookup began left the event translating to {3}.",
            r.Task, r.Event, r.Irq, now ?? "nothing");
    }
}
