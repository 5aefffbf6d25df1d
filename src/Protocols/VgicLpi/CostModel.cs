namespace Verify.Protocols.VgicLpi;

/// <summary>
/// Nanoseconds per operation an injection counts, typical figures for an arm64 server, chosen before
/// the comparison and not fitted to it. Throughput: <c>Workers</c> injecting threads run in parallel,
/// except inside a lock all of them share (lpi_list_lock), whose hold times add up.
/// </summary>
internal static class CostModel
{
    /// <summary>KVM_SIGNAL_MSI from user space to the queued LPI, the parts every version has (ioctl, MSI routing, the vGIC's queueing).</summary>
    internal const double Base = 1_000;

    /// <summary>An uncontended lock acquisition and release.</summary>
    internal const double Lock = 20;

    /// <summary>A lock shared by every worker, taken while others want it: its cache line moves to this CPU (a contended hand-off).</summary>
    internal const double SharedLockHandoff = 1_000;

    /// <summary>One translation-cache entry compared during a list walk.</summary>
    internal const double EntryScanned = 2;

    /// <summary>A cache miss: the slow path (its_lock, the device and ITE walk, the cache insertion).</summary>
    internal const double Miss = 600;

    /// <summary>A wait for an RCU grace period in synchronize_rcu(): two jiffies at HZ=250.</summary>
    internal const double GracePeriod = 8_000_000;

    /// <summary>The lock every injector shares, when the version has it.</summary>
    internal const string SharedLock = "&dist->lpi_list_lock";

    /// <summary>Injections per second of <paramref name="workers"/> threads, each injection costing what the counts say.</summary>
    internal static double Throughput(int workers, double locks, double sharedLocks, double scanned, double misses, double gpWaits)
    {
        double handoff = workers > 1 ? SharedLockHandoff : 0;
        double perInjection = Base + (locks * Lock) + (sharedLocks * handoff) + (scanned * EntryScanned) + (misses * Miss) + (gpWaits * GracePeriod);

        // Inside the shared lock: the acquisitions and the walk, which the workers take in turn.
        double serialized = (sharedLocks * (Lock + handoff)) + (scanned * EntryScanned);
        double parallel = workers / perInjection;
        double bound = serialized > 0 ? 1 / serialized : double.PositiveInfinity;
        return Math.Min(parallel, bound) * 1e9;
    }
}
