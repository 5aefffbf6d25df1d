namespace Verify.Protocols.VgicLpi;

/// <summary>The kernel versions of the arm64 vGIC's LPI lifetime management: refcounts, the LPI list or xarray, and the ITS translation cache.</summary>
public enum Variant
{
    /// <summary>
    /// Linux v6.7 (tag v6.7, 0dd3ee311255): LPIs on dist->lpi_list under the raw lpi_list_lock;
    /// vgic_put_irq() drops the kref under that lock and kfree()s at zero; the translation cache is
    /// a global LRU list whose lookup (vgic_its_check_cache()) returns the vgic_irq without a reference.
    /// </summary>
    V6_7,

    /// <summary>
    /// Linux v6.8 (tag v6.8, e8f897f4afef; the change is ad362fe07fec "KVM: arm64: vgic-its: Avoid potential UAF in LPI translation
    /// cache"): the cache lookup takes a reference under lpi_list_lock, and the cached injection
    /// drops it with vgic_put_irq() when done.
    /// </summary>
    V6_8,

    /// <summary>
    /// Upton's "Improvements to LPI injection" as first posted (v1, February 2024): V6_9 with the
    /// vgic_add_lpi() error path that returns after a failed xa_store() with lpi_list_lock still held,
    /// which review (Dan Carpenter) asked to unlock.
    /// </summary>
    V6_9V1,

    /// <summary>
    /// Linux v6.9 (tag v6.9, a38297e3fb01: the first ten patches of the series, v4 of 2024-02-21, among them 50ac89bb7092
    /// "Ensure the irq refcount is nonzero when taking a ref" and e27f2d561fee "Don't acquire the
    /// lpi_list_lock in vgic_put_irq()"): LPIs in the dist->lpi_xa xarray, vgic_get_lpi() under RCU
    /// with kref_get_unless_zero(), vgic_put_irq() drops the kref locklessly and then erases the
    /// INTID under xa_lock and kfree_rcu()s; the cache stays the LRU list under lpi_list_lock.
    /// </summary>
    V6_9,

    /// <summary>
    /// The series' v2 design (posted in February 2024, not merged as such): the translation cache
    /// entries are allocated lazily, looked up under RCU alone (RCU-protected cte-&gt;irq on an
    /// rculist), the victim chosen by usage count, and an eviction waits for a grace period
    /// (synchronize_rcu()) before dropping the victim; the cache insertion that finds the
    /// translation already cached returns without freeing its new entry (as review noted).
    /// </summary>
    SeedV2,

    /// <summary>
    /// Linux v6.10 (tag v6.10, 0c3836482481; Upton, 2024-04-22, ending in 481c9ee846d2 "Get rid of the lpi_list_lock"): a
    /// translation cache per ITS, an xarray keyed by devid &lt;&lt; 16 | eventid and read under RCU;
    /// vgic_add_lpi()'s critical section under xa_lock instead of lpi_list_lock.
    /// </summary>
    V6_10,

    /// <summary>
    /// Linux v6.17 (2025-09; commit id not verified here): refcount_t with __vgic_put_irq(); under the
    /// raw ap_list_lock/irq_lock, vgic_put_irq_norelease() only marks a dead LPI pending_release and
    /// vgic_release_deleted_lpis() frees the marked ones once the raw locks are dropped; a lockdep
    /// kernel takes and drops xa_lock at the top of vgic_put_irq().
    /// </summary>
    V6_17,

    /// <summary>
    /// The v7.2 design (2026-07, reconstructed from its commit text, not verified against a tree):
    /// vgic_put_irq() with refcount_dec_and_lock_irqsave() on xa_lock; vgic_add_lpi() evicts a dead
    /// entry it finds at the INTID and kfree_rcu()s it itself, storing with GFP_NOWAIT; no
    /// pending_release: vgic_release_deleted_lpis() frees the entries whose count reads zero.
    /// </summary>
    V7_2,
}

/// <summary>What each version's code does, as the functions of the model ask it.</summary>
internal static class VariantFeatures
{
    /// <summary>LPIs on dist->lpi_list, looked up by walking it under lpi_list_lock (v6.7, v6.8).</summary>
    internal static bool LpiList(this Variant v) => v is Variant.V6_7 or Variant.V6_8;

    /// <summary>dist->lpi_list_lock exists (a raw spinlock), gone in v6.10.</summary>
    internal static bool HasLpiListLock(this Variant v) => v <= Variant.SeedV2;

    /// <summary>The translation cache is the global LRU list of preallocated entries (v6.7 to v6.9).</summary>
    internal static bool LruCache(this Variant v) => v <= Variant.V6_9;

    /// <summary>The translation cache is an xarray per ITS (v6.10 on).</summary>
    internal static bool PerItsCache(this Variant v) => v >= Variant.V6_10;

    /// <summary>The cached injection holds a reference on the vgic_irq it found (v6.8 on).</summary>
    internal static bool CacheHitTakesRef(this Variant v) => v != Variant.V6_7;

    /// <summary>New references from lookups are taken with kref_get_unless_zero() (v6.9 on).</summary>
    internal static bool TryGet(this Variant v) => v >= Variant.V6_9V1;

    /// <summary>Under raw locks the ap_list reference is dropped with vgic_put_irq_norelease() (v6.17 on).</summary>
    internal static bool Norelease(this Variant v) => v >= Variant.V6_17;

    /// <summary>
    /// MOVALL and the pending-table sync test their vgic_get_irq() for NULL: the "Test for valid IRQ"
    /// fixes of April 2024 (85a71ee9a070, 8d3a7dfb801d), in v6.9 and later, after the February
    /// postings (V6_9V1, SeedV2). INVALL's loop has had its NULL test since v4.8, in every variant.
    /// </summary>
    internal static bool SyncTestsNull(this Variant v) => v is Variant.V6_9 or >= Variant.V6_10;
}
