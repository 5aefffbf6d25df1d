using Verify.Kernel.ContextTracking;
using Verify.Specifications;

namespace Verify.Protocols.ContextTracking;

/// <summary>The isolated CPU executed text site <c>Site</c> at version <c>Seen</c> (its view); <c>DangerZone</c>: in entry code before ct_work_flush().</summary>
public sealed class TextExecuted(int cpu, string site, int seen, bool dangerZone) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public string Site { get; } = site;

    public int Seen { get; } = seen;

    public bool DangerZone { get; } = dangerZone;
}

/// <summary>A sender's on_each_cpu_cond(cond, do_sync_core) after the poke of version <c>Version</c> of <c>Site</c> returned: every CPU was IPI'd (and synced) or had the work deferred.</summary>
public sealed class TextSynced(string site, int version, bool ipiToAll) : Monitor.Event
{
    public string Site { get; } = site;

    public int Version { get; } = version;

    /// <summary>The round passed cond NULL: no CPU could be deferred.</summary>
    public bool IpiToAll { get; } = ipiToAll;
}

/// <summary>
/// The setter of <c>Sender</c> returned true for <c>Cpu</c> ("deferred, skip the IPI") for work
/// <c>Bit</c>; what the sender had stored before it: version <c>Version</c> of <c>Site</c>, or the PTE
/// of vmalloc address <c>Va</c> cleared from frame <c>StalePfn</c>.
/// </summary>
public sealed class WorkDeferred(string sender, int cpu, int bit, string? site, int version, int va, int stalePfn) : Monitor.Event
{
    public int Va { get; } = va;

    public string Sender { get; } = sender;

    public int Cpu { get; } = cpu;

    public int Bit { get; } = bit;

    public string? Site { get; } = site;

    public int Version { get; } = version;

    public int StalePfn { get; } = stalePfn;
}

/// <summary>
/// One cmpxchg of a setter on <c>Cpu</c>'s word; <c>Success</c> when it stored, <c>BitsAdded</c>
/// the work it carried when it did; <c>OtherWrites</c>: how many times others wrote the word since
/// the call began (cpu0's atomics, other setters' successful cmpxchgs).
/// </summary>
public sealed class SetterAttempt(string sender, int cpu, bool success, int bitsAdded, int otherWrites = 0) : Monitor.Event
{
    public int OtherWrites { get; } = otherWrites;

    public string Sender { get; } = sender;

    public int Cpu { get; } = cpu;

    public bool Success { get; } = success;

    public int BitsAdded { get; } = bitsAdded;
}

/// <summary>A setter call began (<c>Begin</c>) or returned; <c>StaleReads</c> is how many older stores of the word a load may still return in this memory mode (0 under SC and TSO).</summary>
public sealed class SetterCall(string sender, int cpu, bool begin, bool deferred, int staleReads = 0) : Monitor.Event
{
    public int StaleReads { get; } = staleReads;

    public string Sender { get; } = sender;

    public int Cpu { get; } = cpu;

    public bool Begin { get; } = begin;

    public bool Deferred { get; } = deferred;
}

/// <summary>The isolated CPU made an atomic read-modify-write of its context-tracking state (ct->state, or RFC v1's work word) on path <c>Path</c>.</summary>
public sealed class CtAtomic(int cpu, string path) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public string Path { get; } = path;
}

/// <summary>A kernel entry or exit of the isolated CPU finished (<c>Path</c> names it).</summary>
public sealed class TransitionDone(int cpu, string path) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public string Path { get; } = path;
}

/// <summary>An entry took work bits <c>Bits</c> from ct->state (or RFC v1's work word): ct_work_flush() will run them.</summary>
public sealed class WorkTaken(int cpu, int bits) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public int Bits { get; } = bits;
}

/// <summary>An exit's cmpxchg cleared work bits <c>Bits</c> from ct->state.</summary>
public sealed class WorkCleared(int cpu, int bits) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public int Bits { get; } = bits;
}

/// <summary>ct_work_flush() ran sync_core(): the CPU's view of each site afterwards.</summary>
public sealed class FlushSynced(int cpu, IReadOnlyDictionary<string, int> seen) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public IReadOnlyDictionary<string, int> Seen { get; } = seen;
}

/// <summary>The isolated CPU walked the page tables for a vmalloc address and read frame <c>Pfn</c> (0: not mapped); <c>AfterWorkFlush</c> when a deferred TLB flush ran since its entry.</summary>
public sealed class PageWalked(int cpu, int va, int pfn) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public int Va { get; } = va;

    public int Pfn { get; } = pfn;
}

/// <summary>
/// The isolated CPU touched vmalloc address <c>Va</c> through frame <c>Pfn</c>, from its TLB
/// (<c>FromTlb</c>) or a fresh walk; the page tables held <c>PteNow</c> at that moment.
/// </summary>
public sealed class VmallocTouched(int cpu, int va, int pfn, bool fromTlb, int pteNow) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public int Va { get; } = va;

    public int Pfn { get; } = pfn;

    public bool FromTlb { get; } = fromTlb;

    public int PteNow { get; } = pteNow;
}

/// <summary>A sender's kernel-range flush for <c>Va</c> returned (every CPU IPI'd and flushed, or skipped); the cleared PTE had mapped <c>StalePfn</c> (0: a page-table page was unlinked).</summary>
public sealed class RangeFlushed(string sender, int va, int stalePfn) : Monitor.Event
{
    public int StalePfn { get; } = stalePfn;

    public string Sender { get; } = sender;

    public int Va { get; } = va;
}

/// <summary>A walk of vmalloc address <c>Va</c> through the CPU's paging-structure cache reached page-table page <c>Pfn</c>, which is free or no longer linked (<c>Freed</c>).</summary>
public sealed class PageTableWalked(int cpu, int pfn, bool freed, int va) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public int Va { get; } = va;

    public int Pfn { get; } = pfn;

    public bool Freed { get; } = freed;
}

/// <summary>The isolated CPU ran a call of type <c>Func</c> from an IPI taken in context <c>State</c> (user, idle, guest, kernel).</summary>
public sealed class CtIpiReceived(int cpu, string func, CtState state) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public string Func { get; } = func;

    public CtState State { get; } = state;
}

/// <summary>A sender queued a call of type <c>Func</c> on <c>Cpu</c> while that CPU was in context <c>State</c>.</summary>
public sealed class CtIpiSent(int cpu, string func, CtState state) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public string Func { get; } = func;

    public CtState State { get; } = state;
}

/// <summary>A sender mapped vmalloc address <c>Va</c> to frame <c>Pfn</c> (vmap(): set_pte()).</summary>
public sealed class VmallocMapped(int va, int pfn) : Monitor.Event
{
    public int Va { get; } = va;

    public int Pfn { get; } = pfn;
}
