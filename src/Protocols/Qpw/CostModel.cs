using Verify.Kernel.Sync;

namespace Verify.Protocols.Qpw;

/// <summary>
/// The explicit cost model behind the statistics' cycle estimates: cycles per operation a
/// requester performs for each remote CPU it drains, multiplied by the counts the model's runs
/// produce. The figures are typical orders of magnitude for a recent x86 server, stated here; they
/// are not fitted to the measurement the statistics set them beside. The local lock pairs keep within
/// the measured differences the postings report for a spinlock against local_lock(): 3 to 15
/// cycles more per lock/unlock, 4 to 14 in the 2026 thread.
/// </summary>
public static class CostModel
{
    /// <summary>Reading or atomically updating a cache line another CPU owns (the remote stock's nr_pages, FLUSHING_CACHED_CHARGE): a cross-core transfer.</summary>
    public const int RemoteLine = 150;

    /// <summary>queue_work_on() on a remote pool: PENDING set, pool->lock taken and released, the work linked, all on the remote pool's lines.</summary>
    public const int QueueWork = 4 * RemoteLine;

    /// <summary>Waking the remote kworker: try_to_wake_up() on the remote run queue (its rq->lock, the task's state and its place on the queue: three remote lines).</summary>
    public const int RemoteWakeup = 3 * RemoteLine;

    /// <summary>The reschedule IPI a wakeup sends an idle (not polling) or preempted CPU: the sender's x2APIC ICR write, a WRMSR that does not serialise, so the kernel fences before it (weak_wrmsr_fence()).</summary>
    public const int ReschedIpi = 550;

    /// <summary>An uncontended lock and unlock on a local line with nothing but the preemption count: local_lock() without PREEMPT_RT.</summary>
    public const int PreemptDisablePair = 2;

    /// <summary>
    /// The outermost migrate_disable() and migrate_enable(): the task's count and the run queue's,
    /// on local lines. A nested one (the task already pinned) only counts, and is taken as free.
    /// </summary>
    public const int MigrateDisablePair = 4;

    /// <summary>
    /// An uncontended spinning lock and unlock on a local line: the lock's cmpxchg and the release
    /// store (spin_lock() without PREEMPT_RT, raw_spin_lock()): 10 cycles more than local_lock()'s
    /// <see cref="PreemptDisablePair"/>, and 14 more with <see cref="MigrateDisablePair"/> (QPW's fast
    /// path with qpw=1), both within the measured differences.
    /// </summary>
    public const int SpinLockPair = 12;

    /// <summary>An uncontended rtmutex fast path, lock and unlock on a local line: two cmpxchg (rt_spin_lock(), a spinlock_t on PREEMPT_RT; mutex_lock()).</summary>
    public const int RtMutexPair = 40;

    /// <summary>
    /// Cycles of an uncontended lock/unlock pair whose line is local, by what the acquisition does:
    /// local_lock() is preempt_disable() without PREEMPT_RT and migrate_disable() with rt_spin_lock()
    /// on it; spin_lock() spins without PREEMPT_RT and is rt_spin_lock(), which also pins the task,
    /// on it; raw_spin_lock() always spins; a mutex is the rtmutex-like fast path.
    /// </summary>
    public static int LockPair(LockKind kind, bool preemptRt) => kind switch
    {
        LockKind.LocalLock or LockKind.Spinlock when Pins(kind, preemptRt) => MigrateDisablePair + RtMutexPair,
        LockKind.LocalLock => PreemptDisablePair,
        LockKind.Mutex => RtMutexPair,
        _ => SpinLockPair,
    };

    /// <summary>
    /// The owner's fast path: the lock's pair, and a migrate_disable() pair more where the caller
    /// pins itself first (QPW v1's callers, v2's local_qpw_lock(), the spinlock mode) and the lock
    /// would not pin it anyway (on PREEMPT_RT the lock's own pin is then the nested, free one).
    /// </summary>
    public static int FastPathPair(LockKind kind, bool preemptRt, bool callerPinned) =>
        LockPair(kind, preemptRt) + (callerPinned && !Pins(kind, preemptRt) ? MigrateDisablePair : 0);

    /// <summary>The acquisition pins the task itself: local_lock() and spin_lock() on PREEMPT_RT.</summary>
    private static bool Pins(LockKind kind, bool preemptRt) => preemptRt && kind is LockKind.LocalLock or LockKind.Spinlock;

    /// <summary>The same pair of a lock last taken on another CPU: its line moves here first.</summary>
    public static int RemoteLockPair(LockKind kind, bool preemptRt) => RemoteLine + LockPair(kind, preemptRt);

    /// <summary>
    /// The drain itself (drain_stock(): uncharging the cached pages up the memcg's page counters,
    /// lines other CPUs share, and css_put()): the requester's own work in spinlock mode, the
    /// remote kworker's otherwise.
    /// </summary>
    public const int DrainWork = 2 * RemoteLine;

    /// <summary>The requester's per-CPU checks common to both designs: test_bit() and the nr_pages read of the remote stock, then test_and_set_bit().</summary>
    public const int PerCpuCheck = 2 * RemoteLine;

    /// <summary>Cycles per CPU drained by schedule_work_on(), given the work items, wakeups and reschedule IPIs per CPU the model counted.</summary>
    public static double QueuedPerCpu(double workPerCpu, double wakeupsPerCpu, double ipisPerCpu) =>
        PerCpuCheck + (workPerCpu * QueueWork) + (wakeupsPerCpu * RemoteWakeup) + (ipisPerCpu * ReschedIpi);

    /// <summary>Cycles per CPU drained under its lock by the requester: the remote lock pair of the kind taken, the data line and the drain, per hand-off counted.</summary>
    public static double RemoteLockPerCpu(double handoffsPerCpu, LockKind kind, bool preemptRt) =>
        PerCpuCheck + (handoffsPerCpu * (RemoteLockPair(kind, preemptRt) + RemoteLine + DrainWork));

    /// <summary>What an acquisition of <paramref name="kind"/> does, in the kernel's words, for the tables.</summary>
    public static string Describe(LockKind kind, bool preemptRt) => kind switch
    {
        LockKind.LocalLock when preemptRt => "local_lock(): migrate_disable() + rt_spin_lock()",
        LockKind.LocalLock => "local_lock(): preempt_disable()",
        LockKind.Spinlock when preemptRt => "spin_lock(): rt_spin_lock() (pins the task)",
        LockKind.Spinlock => "spin_lock()",
        LockKind.RawSpinlock => "raw_spin_lock()",
        _ => "mutex_lock()",
    };
}
