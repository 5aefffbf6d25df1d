namespace Verify.Kernel.Text;

/// <summary>
/// The page allocator as far as kernel mappings need it: frames in use or free. A freed frame may
/// be handed out again (vmalloc memory, page-table pages), so a stale translation to it reaches
/// memory that now belongs to someone else. The housekeeping side's bookkeeping: frames are
/// numbered from 1 (0 is no frame).
/// </summary>
public sealed class PageFrames
{
    private readonly List<int> free = [];
    private int next = 1;

    /// <summary>alloc_page(): a free frame if any (the most recently freed first), else a new one.</summary>
    public int AllocPage()
    {
        if (free.Count > 0)
        {
            int pfn = free[^1];
            free.RemoveAt(free.Count - 1);
            return pfn;
        }

        return next++;
    }

    /// <summary>__free_page().</summary>
    public void FreePage(int pfn)
    {
        if (pfn <= 0 || pfn >= next || free.Contains(pfn))
        {
            throw new InvalidOperationException($"__free_page(pfn {pfn}): not an allocated frame.");
        }

        free.Add(pfn);
    }

    /// <summary>The frame is free (not handed out since it was freed).</summary>
    public bool IsFree(int pfn) => free.Contains(pfn);

    /// <summary>Frames handed out so far, in use or freed.</summary>
    public int Allocated => next - 1;
}
