using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.ContextTracking.Monitors;

/// <summary>
/// P-CT-S2: what a sender stored before the step that decided "deferred" is visible to the flush
/// that handles the deferral: the entry whose atomic takes the work bit syncs the site's version
/// (or more), and after a deferred TLB flush no page walk returns the frame the cleared PTE mapped.
/// A successful cmpxchg is fully ordered; a failed one orders nothing, so a setter that decides on a
/// failed one's value gives no such guarantee. Each isolated CPU's deferrals are judged against
/// that CPU's entries.
/// </summary>
public sealed class Ordering : Monitor
{
    // Deferrals not yet taken by an entry: (CPU, bit, site, version, vmalloc address, stale frame).
    private readonly List<(int Cpu, int Bit, string? Site, int Version, int Va, int StalePfn)> pending = [];

    // Deferrals the current entry's flush handles, on each CPU.
    private readonly List<(int Cpu, int Bit, string? Site, int Version, int Va, int StalePfn)> taken = [];

    [Start]
    [OnEventDoAction(typeof(WorkDeferred), nameof(OnDeferred))]
    [OnEventDoAction(typeof(WorkTaken), nameof(OnTaken))]
    [OnEventDoAction(typeof(FlushSynced), nameof(OnSynced))]
    [OnEventDoAction(typeof(PageWalked), nameof(OnWalk))]
    [OnEventDoAction(typeof(VmallocMapped), nameof(OnMapped))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnDeferred(Event e)
    {
        var d = (WorkDeferred)e;
        pending.Add((d.Cpu, d.Bit, d.Site, d.Version, d.Va, d.StalePfn));
    }

    private void OnTaken(Event e)
    {
        var t = (WorkTaken)e;
        taken.RemoveAll(x => x.Cpu == t.Cpu && (t.Bits & (1 << x.Bit)) != 0);
        foreach (var d in pending.Where(d => d.Cpu == t.Cpu && (t.Bits & (1 << d.Bit)) != 0).ToList())
        {
            taken.Add(d);
            pending.Remove(d);
        }
    }

    private void OnSynced(Event e)
    {
        var s = (FlushSynced)e;
        foreach (var d in taken.Where(d => d.Cpu == s.Cpu && d.Site is not null))
        {
            int seen = s.Seen.GetValueOrDefault(d.Site!);
            if (seen < d.Version)
            {
                Assert(false,
                    "P-CT-S2: cpu{0}'s ct_work_flush() synced {1} at version {2}, but the sender stored version {3} before deferring it: the store was not ordered before the flush.",
                    s.Cpu, d.Site!, seen, d.Version);
            }
        }

        taken.RemoveAll(d => d.Cpu == s.Cpu && d.Site is not null);
    }

    /// <summary>A frame mapped at the address again is no longer a stale value of its PTE.</summary>
    private void OnMapped(Event e)
    {
        var m = (VmallocMapped)e;
        taken.RemoveAll(d => d.Va == m.Va && d.StalePfn == m.Pfn);
        pending.RemoveAll(d => d.Va == m.Va && d.StalePfn == m.Pfn);
    }

    private void OnWalk(Event e)
    {
        var w = (PageWalked)e;
        foreach (var d in taken.Where(d => d.Cpu == w.Cpu && d.StalePfn != 0))
        {
            if (w.Va == d.Va && w.Pfn == d.StalePfn)
            {
                Assert(false,
                    "P-CT-S2: after the deferred TLB flush, cpu{0}'s page walk of 0x{1:x} read pfn {2}, the PTE the sender cleared before deferring the flush: the clear was not ordered before it.",
                    w.Cpu, w.Va, w.Pfn);
            }
        }
    }
}
