using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.ContextTracking.Monitors;

/// <summary>
/// What P-CT-S1 and P-CT-S4 share: the newest version of each text site whose sync has returned,
/// and a check of every execution of a site on one side of the entry danger zone against it.
/// </summary>
public abstract class StaleTextMonitor : Monitor
{
    private readonly Dictionary<string, int> synced = [];

    /// <summary>True to judge executions inside the danger zone (S4), false those outside it (S1).</summary>
    protected abstract bool InDangerZone { get; }

    /// <summary>The violation's message: {0} the CPU, {1} the site, {2} the version run, {3} the version synced.</summary>
    protected abstract string Message { get; }

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
        if (x.DangerZone == InDangerZone && x.Seen < v)
        {
            Assert(false, Message, x.Cpu, x.Site, x.Seen, v);
        }
    }
}
