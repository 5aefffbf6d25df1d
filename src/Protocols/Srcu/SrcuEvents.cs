using Verify.Specifications;

namespace Verify.Protocols.Srcu;

/// <summary>An updater called synchronize_srcu_expedited().</summary>
public sealed class SynchronizeStarted(string updater, int jiffies) : Monitor.Event
{
    public string Updater { get; } = updater;

    public int Jiffies { get; } = jiffies;
}

/// <summary>That call returned: its grace period has ended and its callback ran.</summary>
public sealed class SynchronizeReturned(string updater, int jiffies) : Monitor.Event
{
    public string Updater { get; } = updater;

    public int Jiffies { get; } = jiffies;
}

/// <summary>
/// srcu_get_delay() returned <c>Delay</c> to <c>Caller</c>, with the sequence, jiffies and grace-period
/// start it saw (null in the version before 282d8998e997, which does not record it).
/// </summary>
public sealed class SrcuDelayComputed(string caller, long delay, long gpSeq, int jiffies, long? gpStart) : Monitor.Event
{
    public string Caller { get; } = caller;

    public long Delay { get; } = delay;

    public long GpSeq { get; } = gpSeq;

    public int Jiffies { get; } = jiffies;

    public long? GpStart { get; } = gpStart;
}

/// <summary>
/// srcu_reschedule() by <c>Caller</c> (process_srcu() or srcu_gp_end()) with <c>Delay</c>: whether it
/// pushed the grace period on (queued the worker again), the sequence and jiffy the delay was
/// decided at (what srcu_get_delay() read), and the grace period's start (srcu_gp_start; null in the
/// version before 282d8998e997, which does not record it).
/// </summary>
public sealed class SrcuRescheduled(string caller, long delay, bool pushgp, long gpSeq, int jiffies, long? gpStart) : Monitor.Event
{
    public string Caller { get; } = caller;

    public long Delay { get; } = delay;

    public bool Pushgp { get; } = pushgp;

    public long GpSeq { get; } = gpSeq;

    public int Jiffies { get; } = jiffies;

    public long? GpStart { get; } = gpStart;

    /// <summary>process_srcu()'s own <c>j = jiffies</c> for the per-jiffy count of zero delays, where the version reads it; null where it does not.</summary>
    public int? CountJiffies { get; init; }
}

/// <summary>queue_delayed_work() of an SRCU work item (the worker or a callback invocation) with <c>Delay</c> jiffies; <c>Queued</c> unless it was already pending.</summary>
public sealed class SrcuWorkDelayed(string work, long delay, bool queued, string by) : Monitor.Event
{
    public string Work { get; } = work;

    public long Delay { get; } = delay;

    public bool Queued { get; } = queued;

    public string By { get; } = by;
}

/// <summary>cleanup_srcu_struct() hit one of its WARN_ON()s: <c>Condition</c> is the warning's expression.</summary>
public sealed class CleanupWarned(string condition) : Monitor.Event
{
    public string Condition { get; } = condition;
}

/// <summary>The heuristics' bounds in force: srcu_max_nodelay_phase and srcu_max_nodelay (or the constants), told to the monitors at boot.</summary>
public sealed class SrcuBounds(int maxNodelayPhase, int maxNodelay) : Monitor.Event
{
    public int MaxNodelayPhase { get; } = maxNodelayPhase;

    public int MaxNodelay { get; } = maxNodelay;
}

/// <summary>try_check_zero()'s reader scan of rank <c>Idx</c> found it nonzero.</summary>
public sealed class SrcuScanFailed(int idx) : Monitor.Event
{
    public int Idx { get; } = idx;
}

/// <summary>A reader loaded <c>slots-&gt;generation</c> of the memslots object it had srcu_dereference()d, inside its read-side critical section.</summary>
public sealed class MemslotsRead(string task, int slots, int generation) : Monitor.Event
{
    public string Task { get; } = task;

    public int Slots { get; } = slots;

    public int Generation { get; } = generation;
}

/// <summary>The updater freed memslots object <c>Slots</c> (kvfree() of the old set once synchronize_srcu_expedited() returned).</summary>
public sealed class MemslotsFreed(string updater, int slots) : Monitor.Event
{
    public string Updater { get; } = updater;

    public int Slots { get; } = slots;
}
