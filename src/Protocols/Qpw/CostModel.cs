namespace Verify.Protocols.Qpw;

/// <summary>
/// The explicit cost model behind the statistics' cycle estimates: cycles per operation a
/// requester performs for each remote CPU it drains, multiplied by the counts the model's runs
/// produce. The figures are typical orders of magnitude for a recent x86 server, stated here; they
/// are not fitted to the measurement the statistics set them beside.
/// </summary>
public static class CostModel
{
    /// <summary>Reading or atomically updating a cache line another CPU owns (the remote stock's nr_pages, FLUSHING_CACHED_CHARGE): a cross-core transfer.</summary>
    public const int RemoteLine = 150;

    /// <summary>queue_work_on() on a remote pool: PENDING set, pool->lock taken and released, the work linked, all on the remote pool's lines.</summary>
    public const int QueueWork = 4 * RemoteLine;

    /// <summary>Waking the remote kworker: try_to_wake_up() on the remote run queue and the IPI the sender writes to the APIC.</summary>
    public const int WakeupIpi = 1000;

    /// <summary>spin_lock() of a lock last taken on another CPU (its line moves here), and the unlock.</summary>
    public const int RemoteLockPair = RemoteLine + 20;

    /// <summary>
    /// The drain itself (drain_stock(): uncharging the cached pages up the memcg's page counters,
    /// lines other CPUs share, and css_put()): the requester's own work in spinlock mode, the
    /// remote kworker's otherwise.
    /// </summary>
    public const int DrainWork = 2 * RemoteLine;

    /// <summary>The requester's per-CPU checks common to both designs: test_bit() and the nr_pages read of the remote stock, then test_and_set_bit().</summary>
    public const int PerCpuCheck = 2 * RemoteLine;

    /// <summary>Cycles per CPU drained by schedule_work_on(), given the work items and wakeups per CPU the model counted.</summary>
    public static double QueuedPerCpu(double workPerCpu, double wakeupsPerCpu) =>
        PerCpuCheck + (workPerCpu * QueueWork) + (wakeupsPerCpu * WakeupIpi);

    /// <summary>Cycles per CPU drained under its spinlock by the requester: the lock pair, the data line and the drain, per hand-off counted.</summary>
    public static double RemoteLockPerCpu(double handoffsPerCpu) =>
        PerCpuCheck + (handoffsPerCpu * (RemoteLockPair + RemoteLine + DrainWork));
}
