using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.ContextTracking.Monitors;

/// <summary>
/// P-CT-S5: once a sender's kernel-range flush of a vmalloc address has returned (each isolated CPU IPI'd and
/// flushed, or skipped), no isolated CPU uses a translation of it that the page tables no longer hold,
/// (a frame the cleared PTE mapped, freed and reused since), and never walks through a page-table
/// page that was freed.
/// </summary>
public sealed class NoStaleTranslation : Monitor
{
    // vmalloc address -> frames it mapped before a kernel-range flush of it returned.
    private readonly Dictionary<int, HashSet<int>> unmapped = [];

    // vmalloc addresses whose kernel-range flush has returned: their unlinked page-table pages may be freed.
    private readonly HashSet<int> flushed = [];

    [Start]
    [OnEventDoAction(typeof(RangeFlushed), nameof(OnFlushed))]
    [OnEventDoAction(typeof(VmallocTouched), nameof(OnTouched))]
    [OnEventDoAction(typeof(VmallocMapped), nameof(OnMapped))]
    [OnEventDoAction(typeof(PageTableWalked), nameof(OnTableWalk))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnFlushed(Event e)
    {
        var f = (RangeFlushed)e;
        flushed.Add(f.Va);
        if (f.StalePfn != 0)
        {
            if (!unmapped.TryGetValue(f.Va, out HashSet<int>? set))
            {
                unmapped[f.Va] = set = [];
            }

            set.Add(f.StalePfn);
        }
    }

    /// <summary>A frame mapped at the address again (the allocator handed it back) is its translation once more.</summary>
    private void OnMapped(Event e)
    {
        var m = (VmallocMapped)e;
        unmapped.GetValueOrDefault(m.Va)?.Remove(m.Pfn);
    }

    private void OnTouched(Event e)
    {
        var t = (VmallocTouched)e;
        if (unmapped.TryGetValue(t.Va, out HashSet<int>? stale) && stale.Contains(t.Pfn))
        {
            Assert(false,
                "P-CT-S5: cpu{0} touched vmalloc 0x{1:x} through pfn {2} ({3}), a frame unmapped from it (and freed) before the kernel-range flush returned: a stale translation.",
                t.Cpu, t.Va, t.Pfn, t.FromTlb ? "a TLB entry" : "a page walk");
        }
    }

    private void OnTableWalk(Event e)
    {
        var w = (PageTableWalked)e;
        if (w.Freed && flushed.Contains(w.Va))
        {
            Assert(false,
                "P-CT-S5: cpu{0} walked the kernel page tables through its cached page-table page pfn {1}, which was unlinked and whose kernel-range flush has returned (the page is freed: another user may have it, or get it at any time).",
                w.Cpu, w.Pfn);
        }
    }
}
