namespace Verify.Kernel.Text;

/// <summary>
/// One CPU's TLB for kernel virtual addresses (the vmalloc range): the page frame each address
/// translated to when the CPU last walked the page tables, kept until a flush. A CPU that touches
/// an address with a cached translation uses the frame it cached, whatever the page tables say
/// now. Only its CPU touches it (a remote flush is an IPI whose callback runs on the CPU).
/// </summary>
public sealed class KernelTlb
{
    private readonly Dictionary<int, int> entries = [];

    public KernelTlb(int cpu)
    {
        this.cpu = cpu;
    }

    public int cpu { get; }

    /// <summary>The cached frame for <paramref name="va"/>, or 0 for none.</summary>
    public int Lookup(int va) => entries.TryGetValue(va, out int pfn) ? pfn : 0;

    /// <summary>A page walk found <paramref name="pfn"/> for <paramref name="va"/>.</summary>
    public void Fill(int va, int pfn) => entries[va] = pfn;

    /// <summary>__flush_tlb_all() and its noinstr form: drops every kernel translation.</summary>
    public void FlushAll() => entries.Clear();

    /// <summary>flush_tlb_kernel_range(): drops the translations of [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public void FlushRange(int start, int end)
    {
        foreach (int va in entries.Keys.Where(va => va >= start && va < end).ToList())
        {
            entries.Remove(va);
        }
    }

    public int Count => entries.Count;
}
