using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.VgicLpi.Monitors;

/// <summary>
/// P-VG-S6: a cache lookup that began after the last ITS command on its event had completed, with no
/// command running meanwhile, returns what that command left the event translating to (or misses):
/// never a translation a DISCARD or an unmap removed. A GICR_CTLR write clearing EnableLPIs removes
/// every translation to its vCPU in the same way: a lookup that began after the write completed
/// (ap_list flushed, caches invalidated) must not hit a translation to that vCPU.
/// </summary>
public sealed class CacheCoherence : Monitor
{
    // Events' translations as the last completed command left them (absent: as at boot, unknown).
    private readonly Dictionary<int, string?> translation = [];

    // Bumped at every command's start and end: a lookup overlapping a command is not judged.
    private int epoch;

    private int commandsRunning;

    // Events' target vCPUs as the last completed command left them (absent: as at boot, vCPU 0).
    private readonly Dictionary<int, int> target = [];

    // vCPUs whose EnableLPIs a completed GICR_CTLR write cleared.
    private readonly HashSet<int> disabled = [];

    private readonly Dictionary<string, int> lookupEpoch = [];

    [Start]
    [OnEventDoAction(typeof(ItsCommandBegan), nameof(OnBegan))]
    [OnEventDoAction(typeof(ItsCommandDone), nameof(OnDone))]
    [OnEventDoAction(typeof(LpisDisableBegan), nameof(OnBegan))]
    [OnEventDoAction(typeof(LpisDisabled), nameof(OnDisabled))]
    [OnEventDoAction(typeof(CacheLookupBegan), nameof(OnLookup))]
    [OnEventDoAction(typeof(CacheLookupEnded), nameof(OnResult))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnBegan()
    {
        epoch++;
        commandsRunning++;
    }

    private void OnDone(Event e)
    {
        var d = (ItsCommandDone)e;
        translation[d.Event] = d.Irq;
        target[d.Event] = d.Target;
        epoch++;
        commandsRunning--;
    }

    private void OnDisabled(Event e)
    {
        disabled.Add(((LpisDisabled)e).Vcpu);
        epoch++;
        commandsRunning--;
    }

    private void OnLookup(Event e)
    {
        var l = (CacheLookupBegan)e;
        lookupEpoch[l.Task] = commandsRunning > 0 ? -1 : epoch;
    }

    private void OnResult(Event e)
    {
        var r = (CacheLookupEnded)e;
        if (r.Irq is null || lookupEpoch[r.Task] != epoch)
        {
            return;
        }

        int vcpu = target.GetValueOrDefault(r.Event, 0);
        Assert(!disabled.Contains(vcpu),
            "P-VG-S6: {0}'s cache lookup of event {1} returned {2}, a translation to vcpu{3}, whose EnableLPIs a GICR_CTLR write had cleared before the lookup began.",
            r.Task, r.Event, r.Irq, vcpu);
        if (!translation.TryGetValue(r.Event, out string? now))
        {
            return;
        }

        Assert(now == r.Irq,
            "P-VG-S6: {0}'s cache lookup of event {1} returned {2}, but the ITS command that completed before the lookup began left the event translating to {3}.",
            r.Task, r.Event, r.Irq, now ?? "nothing");
    }
}
