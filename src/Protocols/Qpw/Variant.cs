namespace Verify.Protocols.Qpw;

/// <summary>The kernel versions of remote per-CPU draining, from the workqueue baseline to the QPW series.</summary>
public enum Variant
{
    /// <summary>
    /// Mainline before 6a792697a53a: every caller under local_lock_t, remote CPUs drained by
    /// queue_work_on() to their kworker (and flush_work() for the LRU and SLUB), memcg's
    /// drain_all_stock() without the isolation check. PREEMPT_RT.
    /// </summary>
    Baseline,

    /// <summary>
    /// 6a792697a53a "memcg: do not drain charge pcp caches on remote isolated cpus" (Michal Hocko,
    /// March 2023): drain_all_stock() skips isolated CPUs after setting FLUSHING_CACHED_CHARGE; a
    /// cpuset writer only updates the isolation mask. LRU and SLUB as Baseline. PREEMPT_RT.
    /// </summary>
    MemcgIsolationSkip,

    /// <summary>
    /// 6a792697a53a's later RCU-guarded form: drain_all_stock() reads cpu_is_isolated() and calls
    /// schedule_work_on() inside rcu_read_lock(), and the cpuset writer that isolates a CPU waits
    /// for a grace period and then flushes the stock work queued on it. LRU and SLUB as Baseline.
    /// </summary>
    MemcgIsolationSkipRcu,

    /// <summary>
    /// QPW RFC v1 (Leonardo Bras, 2024-06-22, 20240622035815.569665-1-leobras@redhat.com) without
    /// PREEMPT_RT: qpw_lock() is local_lock() (the CPU argument ignored), queue_percpu_work_on() is
    /// queue_work_on(), flush_percpu_work() is flush_work(). memcg converted, keeping 6a792697a53a's skip.
    /// </summary>
    QpwRfcV1,

    /// <summary>
    /// QPW RFC v1 on PREEMPT_RT: qpw_lock(L, cpu) is migrate_disable() + spin_lock(per_cpu_ptr(L, cpu)),
    /// a macro, so its CPU argument is evaluated after the pin (the pin is redundant on the remote,
    /// explicit-CPU path, where rt_spin_lock() pins anyway, as review noted);
    /// queue_percpu_work_on() runs the work function at once on the caller's CPU under the target
    /// CPU's lock, flush_percpu_work() does nothing.
    /// </summary>
    QpwRfcV1Rt,

    /// <summary>
    /// QPW v1 (Marcelo Tosatti and Leonardo Bras, 2026-02-06, 20260206143430.021026873@redhat.com)
    /// with CONFIG_QPW=y and qpw=0 on a kernel without PREEMPT_RT: callers migrate_disable() and read
    /// smp_processor_id() themselves, then qpw_lock() is local_lock(); remote drains through the
    /// workqueue. memcg unconverted (its RCU-guarded isolation skip).
    /// </summary>
    QpwV1Off,

    /// <summary>QPW v1 with qpw=1 (the static key qpw_sl on) without PREEMPT_RT: per-CPU spinlock_t, spinning, taken remotely; the requester drains itself.</summary>
    QpwV1On,

    /// <summary>QPW v1 on PREEMPT_RT, where spinlock mode is always on: the per-CPU spinlock_t is a sleeping rtmutex.</summary>
    QpwV1Rt,

    /// <summary>QPW v2 (March 2026) with qpw=0, without PREEMPT_RT: local_qpw_lock()/local_qpw_trylock() are local_lock()/local_trylock().</summary>
    QpwV2Off,

    /// <summary>
    /// QPW v2 with qpw=1, without PREEMPT_RT: local_qpw_lock() is migrate_disable() inside the static
    /// branch, then spin_lock(this_cpu_ptr(L.sl)); remote drains under the target's spinlock.
    /// </summary>
    QpwV2On,

    /// <summary>QPW v2 on PREEMPT_RT (spinlock mode always on).</summary>
    QpwV2Rt,

    /// <summary>
    /// The competing design (Frederic Weisbecker, "sched/isolation: Introduce isolated task work" and
    /// "mm: Drain LRUs upon resume to userspace on nohz_full CPUs", RFC 2024-06-25, v2 2025-02-09):
    /// a task that adds to its LRU batch on a nohz_full CPU queues task work that drains the batch
    /// of the CPU it is on when it returns to user space; lru_add_drain_all() is unchanged, so a
    /// remote drain that comes before the return still queues work (the race the changelog admits).
    /// memcg as 6a792697a53a, SLUB as Baseline. PREEMPT_RT.
    /// </summary>
    IsolatedTaskWork,

    /// <summary>
    /// The "ecpu emulation" design proposed before QPW (posted as a design, without patches):
    /// thread_info->ecpu is the CPU that this_cpu_ptr() and smp_processor_id() resolve to;
    /// queue_percpu_work_on(c) takes a per-CPU spinlock of c against nested emulation, sets the
    /// caller's ecpu to c, runs the work function at once on the caller's CPU and restores ecpu; a
    /// migration updates ecpu only if it equals the old CPU (a task not emulating follows its CPU).
    /// The callers stay unconverted (local_lock(), this_cpu_ptr()), so the remote drain takes the
    /// target's lock only where local_lock_t is a lock: this variant runs on PREEMPT_RT.
    /// flush_percpu_work() does nothing. memcg keeps 6a792697a53a's skip, as the kernels of the time.
    /// </summary>
    EcpuEmulationRt,
}

/// <summary>How a variant's code differs, per caller.</summary>
internal static class VariantCode
{
    /// <summary>The kernel runs with PREEMPT_RT.</summary>
    internal static bool PreemptRt(this Variant v) =>
        v is Variant.Baseline or Variant.MemcgIsolationSkip or Variant.MemcgIsolationSkipRcu or Variant.QpwRfcV1Rt
            or Variant.QpwV1Rt or Variant.QpwV2Rt or Variant.IsolatedTaskWork or Variant.EcpuEmulationRt;

    /// <summary>QPW's spinlock mode: qpw_lock() is a spinlock_t that remote requesters take.</summary>
    internal static bool SpinlockMode(this Variant v) =>
        v is Variant.QpwRfcV1Rt or Variant.QpwV1On or Variant.QpwV1Rt or Variant.QpwV2On or Variant.QpwV2Rt;

    /// <summary>The caller is converted to QPW and its lock is the per-CPU spinlock taken by remote drainers.</summary>
    internal static bool RemoteSpinlock(this Variant v, Caller caller) => v.SpinlockMode() && v.Converted(caller);

    /// <summary>The ecpu design: a remote CPU is drained by the requester itself, emulating that CPU (<see cref="Variant.EcpuEmulationRt"/>).</summary>
    internal static bool EmulatesCpu(this Variant v) => v == Variant.EcpuEmulationRt;

    /// <summary>The caller's code goes through the QPW API (memcg only in the RFC).</summary>
    internal static bool Converted(this Variant v, Caller caller) => v switch
    {
        Variant.QpwRfcV1 or Variant.QpwRfcV1Rt => true,
        Variant.QpwV1Off or Variant.QpwV1On or Variant.QpwV1Rt or Variant.QpwV2Off or Variant.QpwV2On or Variant.QpwV2Rt => caller != Caller.Memcg,
        _ => false,
    };

    /// <summary>QPW v1's callers: migrate_disable() and smp_processor_id() before qpw_lock().</summary>
    internal static bool CallerPins(this Variant v, Caller caller) =>
        v is Variant.QpwV1Off or Variant.QpwV1On or Variant.QpwV1Rt && v.Converted(caller);

    /// <summary>QPW v2's local_qpw_lock(): the pin inside the static branch.</summary>
    internal static bool V2(this Variant v) => v is Variant.QpwV2Off or Variant.QpwV2On or Variant.QpwV2Rt;

    /// <summary>drain_all_stock() skips isolated CPUs (6a792697a53a and everything after it).</summary>
    internal static bool MemcgSkipsIsolated(this Variant v) => v != Variant.Baseline;

    /// <summary>drain_all_stock()'s isolation check and enqueue are an RCU read-side section, and the cpuset writer waits a grace period and flushes.</summary>
    internal static bool MemcgRcuGuard(this Variant v) => v is Variant.MemcgIsolationSkipRcu || v.Modern();

    /// <summary>A task that fills its LRU batch on a nohz_full CPU drains it on its way back to user space.</summary>
    internal static bool LruDrainsOnResume(this Variant v, Caller caller) => v == Variant.IsolatedTaskWork && caller == Caller.Lru;

    /// <summary>
    /// The fast path takes its lock with a trylock and falls back to a slow path that touches no
    /// per-CPU data: SLUB's sheaves (6.18) and memcg's stock (6.16), in the kernels of late 2025 on.
    /// </summary>
    internal static bool FastPathTrylock(this Variant v, Caller caller) =>
        caller != Caller.Lru && (v is Variant.MemcgIsolationSkipRcu || v.Modern());

    private static bool Modern(this Variant v) =>
        v is Variant.QpwV1Off or Variant.QpwV1On or Variant.QpwV1Rt or Variant.QpwV2Off or Variant.QpwV2On or Variant.QpwV2Rt;
}
