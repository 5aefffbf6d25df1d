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
    /// QPW RFC v1 on PREEMPT_RT: qpw_lock(L, cpu) is migrate_disable() + spin_lock(per_cpu_ptr(L, cpu))
    /// (the migrate_disable() redundant with rt_spin_lock()'s own, as review noted),
    /// queue_percpu_work_on() runs the work function at once on the caller's CPU under the target
    /// CPU's lock, flush_percpu_work() does nothing.
    /// </summary>
    QpwRfcV1Rt,

    /// <summary>
    /// QPW v1 (Marcelo Tosatti and Leonardo Bras, 2026-02-06, 20260206143430.021026873@redhat.com)
    /// with qpw=0: callers migrate_disable() and read smp_processor_id() themselves, then
    /// qpw_lock() is local_lock(); remote drains through the workqueue. memcg unconverted (its
    /// RCU-guarded isolation skip). PREEMPT_RT.
    /// </summary>
    QpwV1Off,

    /// <summary>QPW v1 with qpw=1 (the static key qpw_sl on): per-CPU spinlock_t taken remotely, the drain run synchronously by the requester. PREEMPT_RT.</summary>
    QpwV1On,

    /// <summary>QPW v2 (March 2026) with qpw=0: local_qpw_lock()/local_qpw_trylock() are local_lock()/local_trylock(). PREEMPT_RT.</summary>
    QpwV2Off,

    /// <summary>
    /// QPW v2 with qpw=1: local_qpw_lock() is migrate_disable() inside the static branch, then
    /// spin_lock(this_cpu_ptr(L.sl)); remote drains under the target's spinlock. PREEMPT_RT.
    /// </summary>
    QpwV2On,

    /// <summary>
    /// The competing design (Frederic Weisbecker, "sched/isolation: Introduce isolated task work" and
    /// "mm: Drain LRUs upon resume to userspace on nohz_full CPUs", RFC 2024-06-25, v2 2025-02-09):
    /// lru_add_drain_all() skips isolated CPUs, whose tasks drain their own LRU batch on the way
    /// back to user space. memcg and SLUB as in mainline. PREEMPT_RT.
    /// </summary>
    IsolatedTaskWork,
}

/// <summary>How a variant's code differs, per caller.</summary>
internal static class VariantCode
{
    /// <summary>The kernel runs with PREEMPT_RT (all but the RFC's !RT wrappers).</summary>
    internal static bool PreemptRt(this Variant v) => v != Variant.QpwRfcV1;

    /// <summary>The caller is converted to QPW and its lock is the per-CPU spinlock taken by remote drainers.</summary>
    internal static bool RemoteSpinlock(this Variant v, Caller caller) =>
        v is Variant.QpwRfcV1Rt or Variant.QpwV1On or Variant.QpwV2On && Converted(v, caller);

    /// <summary>The caller's code goes through the QPW API (memcg only in the RFC).</summary>
    internal static bool Converted(this Variant v, Caller caller) => v switch
    {
        Variant.QpwRfcV1 or Variant.QpwRfcV1Rt => true,
        Variant.QpwV1Off or Variant.QpwV1On or Variant.QpwV2Off or Variant.QpwV2On => caller != Caller.Memcg,
        _ => false,
    };

    /// <summary>QPW v1's callers: migrate_disable() and smp_processor_id() before qpw_lock().</summary>
    internal static bool CallerPins(this Variant v, Caller caller) => v is Variant.QpwV1Off or Variant.QpwV1On && Converted(v, caller);

    /// <summary>drain_all_stock() skips isolated CPUs (6a792697a53a and everything after it).</summary>
    internal static bool MemcgSkipsIsolated(this Variant v) => v != Variant.Baseline;

    /// <summary>drain_all_stock()'s isolation check and enqueue are an RCU read-side section, and the cpuset writer waits a grace period and flushes.</summary>
    internal static bool MemcgRcuGuard(this Variant v) =>
        v is Variant.MemcgIsolationSkipRcu or Variant.QpwV1Off or Variant.QpwV1On or Variant.QpwV2Off or Variant.QpwV2On or Variant.IsolatedTaskWork;

    /// <summary>lru_add_drain_all() leaves isolated CPUs to drain on their return to user space.</summary>
    internal static bool LruDrainsOnResume(this Variant v, Caller caller) => v == Variant.IsolatedTaskWork && caller == Caller.Lru;

    /// <summary>The SLUB fast path takes its lock with a trylock (sheaves, 2025 on); the RFC predates sheaves.</summary>
    internal static bool SlubTrylock(this Variant v) => v is not (Variant.QpwRfcV1 or Variant.QpwRfcV1Rt);
}
