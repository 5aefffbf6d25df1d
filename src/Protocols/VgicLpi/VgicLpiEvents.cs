using Verify.Specifications;

namespace Verify.Protocols.VgicLpi;

/// <summary>An injector entered vgic_its_inject_msi() for event <c>Event</c>.</summary>
public sealed class InjectionBegan(string task, int ev) : Monitor.Event
{
    public string Task { get; } = task;

    public int Event { get; } = ev;
}

/// <summary>An injector left vgic_its_inject_msi() (<c>Result</c>: 0, or the errno it returned).</summary>
public sealed class InjectionEnded(string task, int ev, int result) : Monitor.Event
{
    public string Task { get; } = task;

    public int Event { get; } = ev;

    public int Result { get; } = result;
}

/// <summary>An injector began a translation-cache lookup (vgic_its_check_cache()).</summary>
public sealed class CacheLookupBegan(string task, int ev) : Monitor.Event
{
    public string Task { get; } = task;

    public int Event { get; } = ev;
}

/// <summary>The lookup returned <c>Irq</c> (a hit) or nothing (<c>Irq</c> null, a miss).</summary>
public sealed class CacheLookupEnded(string task, int ev, string? irq) : Monitor.Event
{
    public string Task { get; } = task;

    public int Event { get; } = ev;

    public string? Irq { get; } = irq;
}

/// <summary>A cache insertion evicted a valid translation to make room.</summary>
public sealed class CacheEvicted(string task) : Monitor.Event
{
    public string Task { get; } = task;
}

/// <summary>An ITS command took its_lock and began.</summary>
public sealed class ItsCommandBegan(string command, int ev) : Monitor.Event
{
    public string Command { get; } = command;

    public int Event { get; } = ev;
}

/// <summary>An ITS command is done (its_lock still held): event <c>Event</c> now translates to <c>Irq</c> (null: to nothing) on vCPU <c>Target</c> (-1: none).</summary>
public sealed class ItsCommandDone(string command, int ev, string? irq, int target) : Monitor.Event
{
    public string Command { get; } = command;

    public int Event { get; } = ev;

    public string? Irq { get; } = irq;

    public int Target { get; } = target;
}

/// <summary>A GICR_CTLR write clearing vCPU <c>Vcpu</c>'s EnableLPIs began.</summary>
public sealed class LpisDisableBegan(int vcpu) : Monitor.Event
{
    public int Vcpu { get; } = vcpu;
}

/// <summary>The GICR_CTLR write is done (ap_list flushed, caches invalidated): no translation to vCPU <c>Vcpu</c> may be used from now on.</summary>
public sealed class LpisDisabled(int vcpu) : Monitor.Event
{
    public int Vcpu { get; } = vcpu;
}

/// <summary>A release of <c>Irq</c> erased <c>Erased</c> from lpi_xa at its INTID (null: nothing was there).</summary>
public sealed class LpiReleased(string irq, string? erased) : Monitor.Event
{
    public string Irq { get; } = irq;

    public string? Erased { get; } = erased;
}

/// <summary>Every actor is done: lpi_count and the number of LPIs the list or the xarray holds.</summary>
public sealed class LpisQuiesced(int lpiCount, int entries) : Monitor.Event
{
    public int LpiCount { get; } = lpiCount;

    public int Entries { get; } = entries;
}

/// <summary>A cache insertion allocated entry <c>Entry</c> (the v2 design allocates on insertion).</summary>
public sealed class CacheEntryAllocated(string entry) : Monitor.Event
{
    public string Entry { get; } = entry;
}

/// <summary>Entry <c>Entry</c> was linked into the cache, which now owns it.</summary>
public sealed class CacheEntryInserted(string entry) : Monitor.Event
{
    public string Entry { get; } = entry;
}

/// <summary>A lock of class <c>LockClass</c> was taken (for the statistics).</summary>
public sealed class VgicLockTaken(string lockClass) : Monitor.Event
{
    public string LockClass { get; } = lockClass;
}

/// <summary>
/// <c>Task</c> loaded field <c>Field</c> (refcount, intid) of <c>Irq</c> through a pointer a lookup
/// returned and saw <c>Seen</c>; the object holds <c>Actual</c>. For the count, only a zero seen is reported.
/// </summary>
public sealed class LpiFieldRead(string task, string irq, string field, int seen, int actual) : Monitor.Event
{
    public string Task { get; } = task;

    public string Irq { get; } = irq;

    public string Field { get; } = field;

    public int Seen { get; } = seen;

    public int Actual { get; } = actual;
}
