using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.ContextTracking.Monitors;

/// <summary>
/// P-CT-S4: entry code before ct_work_flush() (the danger zone) never executes a site at a version
/// older than one whose sync has returned: a site entry code runs must be patched with an IPI to
/// every CPU, since a deferred sync_core() comes only after that code.
/// </summary>
public sealed class DangerZone : Monitor
{
    private readonly Dictionary<string, int> synced = [];

    [Start]
    [OnEventDoAction(typeof(TextSynced), nameof(OnSynced))]
    [OnEventDoAction(typeof(TextExecuted), nameof(OnExecuted))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnSynced(Event e)
    {
        var s = (TextSynced)e;
        synced[s.Site] = Math.Max(s.Version, synced.GetValueOrDefault(s.Site));
    }

    private void OnExecuted(Event e)
    {
        var x = (TextExecuted)e;
        int v = synced.GetValueOrDefault(x.Site);
        if (x.DangerZone && x.Seen < v)
        {
            Assert(false,
                "P-CT-S4: entry code on cpu{0}, before ct_work_flush(), executed {1} at version {2}; the sender's sync of version {3} had returned without an IPI to it.",
                x.Cpu, x.Site, x.Seen, v);
        }
    }
}
