namespace Verify.Protocols.Qpw;

/// <summary>The kernel code that drains remote per-CPU caches, each with its own fast path.</summary>
public enum Caller
{
    /// <summary>mm/swap.c: lru_add_drain_all() and the per-CPU folio batches that folio_add_lru() fills.</summary>
    Lru,

    /// <summary>mm/memcontrol.c: drain_all_stock() and the per-CPU charge stock that refill_stock() fills; FLUSHING_CACHED_CHARGE marks a drain in flight.</summary>
    Memcg,

    /// <summary>mm/slub.c: flush_all_cpus_locked() and the per-CPU sheaves that kfree() fills, taken with a trylock.</summary>
    Slub,
}
