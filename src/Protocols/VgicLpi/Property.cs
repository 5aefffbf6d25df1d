namespace Verify.Protocols.VgicLpi;

/// <summary>The LPI lifetime properties, each checked by its own monitor (Monitors/), except S7, which the kernel's NULL-pointer oops checks.</summary>
public enum Property
{
    /// <summary>P-VG-S1: no use-after-free and no double free of a vgic_irq or cache entry (KASAN's reports).</summary>
    NoUseAfterFree,

    /// <summary>P-VG-S2: no reference taken on a count of zero and no count dropped below zero (refcount_t's WARNs).</summary>
    NoGetFromZero,

    /// <summary>P-VG-S3: slot integrity: a release erases its own object from lpi_xa, and lpi_count matches the live entries once every actor is done.</summary>
    SlotIntegrity,

    /// <summary>P-VG-S4: no leak: an object whose count reached zero is freed, and no cache entry is dropped without being freed (checked at the end of a run).</summary>
    NoLeak,

    /// <summary>P-VG-S5: lock classes: no sleeping lock (xa_lock on PREEMPT_RT) taken under a raw spinlock, no sleeping in atomic context, no lock held on the return to user space.</summary>
    LockClasses,

    /// <summary>P-VG-S6: cache coherence: no cache hit returns a translation an ITS command, or a GICR_CTLR write clearing EnableLPIs, that completed before the lookup began had removed.</summary>
    CacheCoherence,

    /// <summary>P-VG-S7: a lookup may return NULL for an INTID being torn down, and every caller tolerates it (no NULL-pointer dereference).</summary>
    NullTolerant,

    /// <summary>P-VG-L1: the injection path never waits for an RCU grace period.</summary>
    InjectionNeverWaitsForGp,

    /// <summary>P-VG-S8: publication: a lockless lookup that finds a vgic_irq sees it initialised (its count not the zero before kref_init(), its intid the one stored); the memory-mode scenarios check it.</summary>
    Publication,

    /// <summary>P-VG-S9: ap_list integrity: no list_del() of an entry no ap_list holds (CONFIG_DEBUG_LIST's "list_del corruption"); the scenarios that move an LPI between ap_lists check it.</summary>
    ApListIntegrity,
}
