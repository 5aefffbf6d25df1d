using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.Qpw.Monitors;

/// <summary>
/// P-QPW-S3, the caller's contract (lru_add_drain_all(), flush_all_cpus_locked()): when the drain
/// returns, every item any CPU held when it began has been drained. drain_all_stock() promises
/// less (it skips CPUs), so a drain of memcg's stock is not held to it (in a work mix, beside
/// a drain of another caller's data that is).
/// </summary>
public sealed class DrainedByReturn : Monitor
{
    private readonly Dictionary<string, IReadOnlyList<int>> addedAtStart = [];

    [Start]
    [OnEventDoAction(typeof(DrainAllStarted), nameof(OnStart))]
    [OnEventDoAction(typeof(DrainAllReturned), nameof(OnReturn))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnStart(Event e)
    {
        var s = (DrainAllStarted)e;
        if (Property.DrainedByReturn.AppliesTo(s.Caller))
        {
            addedAtStart[s.Drainer] = s.Added;
        }
    }

    private void OnReturn(Event e)
    {
        var r = (DrainAllReturned)e;
        if (!addedAtStart.TryGetValue(r.Drainer, out IReadOnlyList<int>? added))
        {
            return;
        }

        for (int c = 0; c < added.Count; c++)
        {
            Assert(r.Drained[c] >= added[c],
                "P-QPW-S3: {0} returned with cpu{1}'s items not drained: {2} had been added when it began, {3} drained when it returned.",
                r.Drainer, c, added[c], r.Drained[c]);
        }

        addedAtStart.Remove(r.Drainer);
    }
}
