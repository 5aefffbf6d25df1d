namespace Verify.Protocols.Srcu;

/// <summary>The kernel versions of SRCU's expedited-grace-period delay heuristics, one per posting or commit.</summary>
public enum Variant
{
    /// <summary>
    /// Before 282d8998e997 (v5.18 and earlier): srcu_get_delay() is 0 while an expedited grace period
    /// is needed, else SRCU_INTERVAL (1 jiffy); try_check_zero() asks it on every poll; process_srcu()
    /// reschedules with it; srcu_gp_end()'s cbdelay and the funnel's first delay are its value.
    /// </summary>
    Baseline,

    /// <summary>
    /// 282d8998e997 "srcu: Prevent expedited GPs and blocking readers from consuming CPU" (McKenney,
    /// v5.19-rc1): the delay adds the grace period's age in jiffies, a zero delay is handed out at most
    /// SRCU_MAX_NODELAY_PHASE = 1 time per phase (srcu_n_exp_nodelay) and process_srcu() reschedules
    /// with zero delay at most SRCU_MAX_NODELAY = 100 times per jiffy (reschedule_count); capped at
    /// SRCU_MAX_INTERVAL = 10. The funnel queues the worker after !!srcu_get_delay(), srcu_gp_end()
    /// delays callbacks by !!srcu_get_delay().
    /// </summary>
    PreventConsumingCpu,

    /// <summary>
    /// 8f870e6eb8c0 "srcu: Block less aggressively for expedited grace periods" (McKenney, -rcu
    /// 640a7d37c3f4, v5.19): SRCU_MAX_NODELAY_PHASE 3, the age measured from jiffies - 1 (a grace
    /// period that started just before a tick is not yet old), and the !jbase block nested inside the
    /// grace-period-in-progress check.
    /// </summary>
    BlockLessAggressively,

    /// <summary>
    /// 8f870e6eb8c0 without the nested !jbase block, as the thread suggested ("+fix1 without the
    /// !jbase block", 15.3 s): no per-phase budget, only process_srcu()'s per-jiffy limit.
    /// </summary>
    BlockLessWithoutNodelayBudget,

    /// <summary>
    /// 4f2bfd9494a0 "srcu: Make expedited RCU grace periods block even less frequently" (Neeraj
    /// Upadhyay, v5.19): module parameters srcu_retry_check_delay (5 us), srcu_max_nodelay_phase
    /// (clamp(2 * USEC_PER_SEC / HZ / 5, 3, 1000)) and srcu_max_nodelay (max(phase, 100));
    /// try_check_zero() asks srcu_get_delay() once per call; srcu_gp_end()'s cbdelay is 0 exactly when
    /// an expedited grace period is needed, with no srcu_get_delay() side effect.
    /// </summary>
    BlockEvenLess,

    /// <summary>
    /// c8c3ae83e0bb "srcu: Check for concurrent updates of heuristics" (McKenney, v6.12; fields in
    /// srcu_usage since v6.4): ASSERT_EXCLUSIVE_WRITER(sup->srcu_n_exp_nodelay) in srcu_get_delay()
    /// and ASSERT_EXCLUSIVE_WRITER(sup->reschedule_count) in process_srcu(); code otherwise as 4f2bfd9494a0.
    /// </summary>
    ConcurrentUpdateAsserts,

    /// <summary>
    /// d31e31365b5b "srcu: Force synchronization for srcu_get_delay()" (v6.15-rc1, stable 6.13/6.14):
    /// lockdep_assert_held(&amp;sup->lock) in srcu_get_delay(); cleanup_srcu_struct(), try_check_zero()
    /// and process_srcu() take spin_lock_irq_rcu_node(ssp->srcu_sup) around their call.
    /// </summary>
    ForceSynchronization,
}

/// <summary>How a variant's code differs.</summary>
internal static class VariantCode
{
    /// <summary>srcu_n_exp_nodelay, reschedule_count, the grace period's age and the 10-jiffy cap (282d8998e997 on).</summary>
    internal static bool Heuristics(this Variant v) => v != Variant.Baseline;

    /// <summary>The age is measured from jiffies - 1 (8f870e6eb8c0 on).</summary>
    internal static bool JiffiesMinusOne(this Variant v) => v >= Variant.BlockLessAggressively;

    /// <summary>Has the !jbase block that counts zero delays per phase.</summary>
    internal static bool NodelayBudget(this Variant v) => v.Heuristics() && v != Variant.BlockLessWithoutNodelayBudget;

    /// <summary>The !jbase block sits inside the grace-period-in-progress check (8f870e6eb8c0 on); in 282d8998e997 it is outside.</summary>
    internal static bool NodelayBudgetNested(this Variant v) => v >= Variant.BlockLessAggressively;

    /// <summary>Neeraj's module parameters, try_check_zero()'s single srcu_get_delay() and srcu_gp_end()'s expedited test (4f2bfd9494a0 on).</summary>
    internal static bool ModuleParams(this Variant v) => v >= Variant.BlockEvenLess;

    /// <summary>ASSERT_EXCLUSIVE_WRITER() on the two counters (c8c3ae83e0bb on).</summary>
    internal static bool ExclusiveWriterAsserts(this Variant v) => v >= Variant.ConcurrentUpdateAsserts;

    /// <summary>srcu_get_delay() always under srcu_sup->lock, and lockdep says so (d31e31365b5b).</summary>
    internal static bool GetDelayLocked(this Variant v) => v >= Variant.ForceSynchronization;

    /// <summary>The commit (or the posting it modifies) as the tables print it.</summary>
    internal static string Commit(this Variant v) => v switch
    {
        Variant.Baseline => "before 282d8998e997",
        Variant.PreventConsumingCpu => "282d8998e997",
        Variant.BlockLessAggressively => "8f870e6eb8c0",
        Variant.BlockLessWithoutNodelayBudget => "8f870e6eb8c0 without !jbase block",
        Variant.BlockEvenLess => "4f2bfd9494a0",
        Variant.ConcurrentUpdateAsserts => "c8c3ae83e0bb",
        Variant.ForceSynchronization => "d31e31365b5b",
        _ => v.ToString(),
    };

    /// <summary>
    /// SRCU_MAX_NODELAY_PHASE, or srcu_max_nodelay_phase's default at <paramref name="hz"/>; for the
    /// version before 282d8998e997, which has neither, 282d8998e997's constant (what P-SR-L1 holds it to).
    /// </summary>
    internal static int DefaultMaxNodelayPhase(this Variant v, int hz) => v switch
    {
        // The version before 282d8998e997 has no bound; the monitors hold it to 282d8998e997's.
        Variant.Baseline or Variant.PreventConsumingCpu => 1,
        Variant.BlockLessAggressively or Variant.BlockLessWithoutNodelayBudget => 3,
        _ => Math.Clamp(2 * 1_000_000 / hz / 5, 3, 1000),
    };

    /// <summary>SRCU_MAX_NODELAY, or srcu_max_nodelay's default.</summary>
    internal static int DefaultMaxNodelay(this Variant v, int hz) =>
        v.ModuleParams() ? Math.Max(v.DefaultMaxNodelayPhase(hz), 100) : 100;
}
