namespace Verify.Kernel.Lifetime;

/// <summary>Which debugging facility printed a report: KASAN, refcount_t's saturation WARNs, lockdep, or list debugging.</summary>
public enum DebugFacility
{
    /// <summary>KASAN: slab-use-after-free, double-free.</summary>
    Kasan,

    /// <summary>refcount_warn_saturate(): addition on 0, underflow, decrement hit 0.</summary>
    Refcount,

    /// <summary>lockdep and the scheduler's debug checks: invalid wait context, sleeping in atomic context, lock held at the return to user space.</summary>
    Lockdep,

    /// <summary>
    /// CONFIG_DEBUG_LIST: list_add() or list_del() on corrupted or poisoned pointers ("list_del
    /// corruption"); the operation is skipped (the kernel goes on unless
    /// CONFIG_BUG_ON_DATA_CORRUPTION makes it a BUG).
    /// </summary>
    ListDebug,
}
