using Verify.Kernel.Lifetime;
using Verify.Kernel.Machine;
using Verify.Kernel.Memory;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sched;

namespace Verify.Protocols.VgicLpi;

public sealed partial class VgicLpiKernel
{
    public const int EWOULDBLOCK = -11;

    public const int EINVAL = -22;

    public const int EBUSY = -16;

    /// <summary>The per-ITS cache's key of device 0's event (devid &lt;&lt; 16 | eventid).</summary>
    private static long CacheKey(int ev) => ev;

    /// <summary>__vgic_its_check_cache() on the LRU list, lpi_list_lock held: the entry's irq, moved to the front (v6.7: with no reference).</summary>
    private VgicIrq? CheckCacheLocked(int ev)
    {
        List<TranslationCacheEntry> lru = dist.lpi_translation_cache;
        for (int i = 0; i < lru.Count; i++)
        {
            TranslationCacheEntry cte = lru[i];
            VgicIrq? irq = cte.irq;

            // An unused entry ends the valid ones (the v2 design has none).
            if (irq is null)
            {
                k.Observe(new CacheScanned(i + 1));
                return null;
            }

            if (cte.devid == 0 && cte.eventid == ev)
            {
                k.Observe(new CacheScanned(i + 1));
                if (i != 0)
                {
                    lru.RemoveAt(i);
                    lru.Insert(0, cte);
                }

                return irq;
            }
        }

        k.Observe(new CacheScanned(lru.Count));
        return null;
    }

    /// <summary>vgic_its_check_cache() of this version: the vgic_irq cached for the event, with a reference from v6.8 on, or NULL.</summary>
    internal IEnumerable<Stmt> VgicItsCheckCache(TaskStruct t, int ev, Ret<VgicIrq> ret)
    {
        ret.value = null;
        k.Observe(new CacheLookupBegan(t.comm, ev));
        if (V.PerItsCache())
        {
            yield return Stmt.Call(RcuReadSide.RcuReadLock(k, t));
            VgicIrq? irq = XaLoadRcu(t, its.translation_cache, CacheKey(ev), out Dependency dep);
            yield return $"vgic_its_check_cache: irq = xa_load(&its->translation_cache, {CacheKey(ev)}) = {irq?.ToString() ?? "NULL"}";
            if (irq is not null)
            {
                yield return Stmt.Call(TakeLookupReference(t, irq, ret, dep));
            }

            yield return Stmt.Call(RcuReadSide.RcuReadUnlock(k, t));
        }
        else if (V == Variant.SeedV2)
        {
            yield return Stmt.Call(RcuReadSide.RcuReadLock(k, t));
            List<TranslationCacheEntry> cache = dist.lpi_translation_cache;
            int at = cache.FindIndex(c => c.devid == 0 && c.eventid == ev);
            TranslationCacheEntry? cte = at < 0 ? null : cache[at];
            k.Observe(new CacheScanned(at < 0 ? cache.Count : at + 1));
            yield return $"list_for_each_entry_rcu(cte, &dist->lpi_translation_cache) finds {cte?.ToString() ?? "nothing"}";
            if (cte is not null)
            {
                VgicIrq? irq = cte.irq;
                cte.usage++;
                yield return $"irq = rcu_dereference({cte}->irq) = {irq?.ToString() ?? "NULL"}; {cte}->usage++";
                if (irq is not null)
                {
                    yield return Stmt.Call(TakeLookupReference(irq, ret));
                }
            }

            yield return Stmt.Call(RcuReadSide.RcuReadUnlock(k, t));
        }
        else
        {
            var flags = new IrqFlags();
            yield return Stmt.Call(RawSpinLockIrqsave(t, dist.lpi_list_lock, flags));
            VgicIrq? irq = CheckCacheLocked(ev);
            yield return $"irq = __vgic_its_check_cache(dist, db, 0, {ev}) = {irq?.ToString() ?? "NULL"}";
            if (irq is not null && V.CacheHitTakesRef())
            {
                yield return Stmt.Call(TakeLookupReference(irq, ret));
            }
            else
            {
                ret.value = irq;
            }

            yield return Stmt.Call(RawSpinUnlockIrqrestore(t, dist.lpi_list_lock, flags));
        }

        k.Observe(new CacheLookupEnded(t.comm, ev, ret.value?.name));
    }

    /// <summary>The lookup's reference: kref_get() under lpi_list_lock (v6.8), kref_get_unless_zero() from v6.9 (kref_get() again in the mutant).</summary>
    private IEnumerable<Stmt> TakeLookupReference(VgicIrq irq, Ret<VgicIrq> ret) => TakeLookupReference(null, irq, ret, default);

    /// <summary>The lookup's reference; <paramref name="t"/> given, the pointer came from rcu_dereference() (<paramref name="dep"/>) and the count is loaded through it.</summary>
    private IEnumerable<Stmt> TakeLookupReference(TaskStruct? t, VgicIrq irq, Ret<VgicIrq> ret, Dependency dep)
    {
        if (!V.TryGet() || P.MutantCacheGetWithoutTryGet)
        {
            VgicGetIrqKref(irq);
            ret.value = irq;
            yield return $"vgic_get_irq_kref({irq})";
            yield break;
        }

        bool got = t is null ? VgicTryGetIrqKref(irq) : VgicTryGetIrqKref(t, irq, dep);
        ret.value = got ? irq : null;
        yield return $"vgic_try_get_irq_kref({irq}) = {got}";
    }

    /// <summary>vgic_its_cache_translation() of this version, its_lock held: caches event <paramref name="ev"/> -&gt; <paramref name="irq"/>.</summary>
    internal IEnumerable<Stmt> VgicItsCacheTranslation(TaskStruct t, int ev, VgicIrq irq)
    {
        if (V.PerItsCache())
        {
            // The ITE's reference keeps the count nonzero while its_lock is held.
            VgicGetIrqKref(irq);
            yield return $"vgic_get_irq_kref({irq})";
            var stored = new XaRet<VgicIrq>();
            yield return Stmt.Call(XaLocked(its.translation_cache.XaStore(k, t, CacheKey(ev), irq, Gfp.GFP_KERNEL_ACCOUNT, stored)));
            if (P.MutantCacheWaitsForGp)
            {
                yield return Stmt.Call(SynchronizeRcuOnCpu.SynchronizeRcu(k, t));
            }

            if (stored.err != 0)
            {
                yield return Stmt.Call(VgicPutIrq(t, irq));
                yield break;
            }

            if (stored.entry is VgicIrq old)
            {
                yield return Stmt.Call(VgicPutIrq(t, old));
            }

            yield break;
        }

        if (V == Variant.SeedV2)
        {
            yield return Stmt.Call(CacheTranslationV2(t, ev, irq));
            yield break;
        }

        var flags = new IrqFlags();
        yield return Stmt.Call(RawSpinLockIrqsave(t, dist.lpi_list_lock, flags));
        List<TranslationCacheEntry> lru = dist.lpi_translation_cache;
        bool cached = CheckCacheLocked(ev) is not null;
        yield return $"__vgic_its_check_cache(dist, db, 0, {ev}) = {(cached ? "cached" : "NULL")}";
        if (!cached && lru.Count > 0)
        {
            // Always reuse the last entry (LRU policy).
            TranslationCacheEntry cte = lru[^1];
            VgicIrq? victim = cte.irq;
            yield return $"cte = list_last_entry(&dist->lpi_translation_cache) = {cte}; cte->irq = {victim?.ToString() ?? "NULL"}";
            if (victim is not null)
            {
                k.Observe(new CacheEvicted(t.comm));
                if (V.LpiList())
                {
                    yield return Stmt.Call(VgicPutLpiLocked(t, victim));
                }
                else
                {
                    yield return Stmt.Call(VgicPutIrq(t, victim));
                }
            }

            VgicGetIrqKref(irq);
            yield return $"vgic_get_irq_kref({irq})";
            cte.devid = 0;
            cte.eventid = ev;
            cte.irq = irq;
            lru.Remove(cte);
            lru.Insert(0, cte);
            yield return $"{cte}->eventid = {ev}; {cte}->irq = {irq}; list_move(&{cte}->entry, &dist->lpi_translation_cache)";
        }

        yield return Stmt.Call(RawSpinUnlockIrqrestore(t, dist.lpi_list_lock, flags));
        if (P.MutantCacheWaitsForGp)
        {
            yield return Stmt.Call(SynchronizeRcuOnCpu.SynchronizeRcu(k, t));
        }
    }

    /// <summary>
    /// The v2 design's insertion: a new entry from kzalloc(), linked under lpi_list_lock; a full cache
    /// unlinks its least-used entry, and the victim's reference and memory are dropped only after a
    /// grace period (synchronize_rcu()), which the injection waits for.
    /// </summary>
    private IEnumerable<Stmt> CacheTranslationV2(TaskStruct t, int ev, VgicIrq irq)
    {
        TranslationCacheEntry? cte = Slab.Kzalloc<TranslationCacheEntry>(k, t, Gfp.GFP_KERNEL_ACCOUNT);
        yield return $"new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT) = {cte?.ToString() ?? "NULL"}";
        if (cte is null)
        {
            yield break;
        }

        k.Observe(new CacheEntryAllocated(cte.name));
        cte.devid = 0;
        cte.eventid = ev;
        yield return $"{cte}->devid = 0; {cte}->eventid = {ev}";
        var flags = new IrqFlags();
        yield return Stmt.Call(RawSpinLockIrqsave(t, dist.lpi_list_lock, flags));
        List<TranslationCacheEntry> cache = dist.lpi_translation_cache;
        bool raced = cache.Any(c => c.devid == 0 && c.eventid == ev);
        yield return $"list_for_each_entry(&dist->lpi_translation_cache): event {ev} {(raced ? "already cached" : "not cached")}";
        if (raced)
        {
            // Another CPU cached the same translation first; the new entry is not freed.
            yield return Stmt.Call(RawSpinUnlockIrqrestore(t, dist.lpi_list_lock, flags));
            yield break;
        }

        TranslationCacheEntry? victim = null;
        if (cache.Count >= dist.cache_max)
        {
            victim = cache[0];
            foreach (TranslationCacheEntry c in cache)
            {
                if (c.usage <= victim.usage)
                {
                    victim = c;
                }
            }

            cache.Remove(victim);
            yield return $"victim = {victim} (least used); list_del_rcu(&{victim}->entry)";
        }

        VgicGetIrqKref(irq);
        cte.irq = irq;
        cache.Insert(0, cte);
        k.Observe(new CacheEntryInserted(cte.name));
        yield return $"vgic_get_irq_kref({irq}); rcu_assign_pointer({cte}->irq, {irq}); list_add_rcu(&{cte}->entry)";
        yield return Stmt.Call(RawSpinUnlockIrqrestore(t, dist.lpi_list_lock, flags));
        if (victim is not null)
        {
            k.Observe(new CacheEvicted(t.comm));
            yield return Stmt.Call(SynchronizeRcuOnCpu.SynchronizeRcu(k, t));
            VgicIrq? old = victim.irq;
            yield return $"old = {victim}->irq = {old?.ToString() ?? "NULL"}";
            if (old is not null)
            {
                yield return Stmt.Call(VgicPutIrq(t, old));
            }

            Slab.Kfree(k, t, victim);
            yield return $"kfree({victim})";
        }
    }

    /// <summary>vgic_its_invalidate_cache() of this version (of the one ITS, or of the whole LRU list before v6.10).</summary>
    internal IEnumerable<Stmt> VgicItsInvalidateCache(TaskStruct t)
    {
        if (V.PerItsCache())
        {
            foreach ((long idx, VgicIrq irq) in its.translation_cache.XaForEach())
            {
                yield return $"xa_for_each(&its->translation_cache): {idx} -> {irq}";
                var erased = new XaRet<VgicIrq>();
                yield return Stmt.Call(XaLocked(its.translation_cache.XaErase(k, t, idx, erased)));
                yield return Stmt.Call(VgicPutIrq(t, irq));
            }

            yield break;
        }

        var flags = new IrqFlags();
        yield return Stmt.Call(RawSpinLockIrqsave(t, dist.lpi_list_lock, flags));
        if (V == Variant.SeedV2)
        {
            List<TranslationCacheEntry> removed = [.. dist.lpi_translation_cache];
            dist.lpi_translation_cache.Clear();
            yield return $"list_del_rcu() of {removed.Count} entries";
            yield return Stmt.Call(RawSpinUnlockIrqrestore(t, dist.lpi_list_lock, flags));
            foreach (TranslationCacheEntry cte in removed)
            {
                VgicIrq? irq = cte.irq;
                yield return $"irq = {cte}->irq = {irq?.ToString() ?? "NULL"}";
                if (irq is not null)
                {
                    yield return Stmt.Call(VgicPutIrq(t, irq));
                }

                Slab.KfreeRcu(k, t, cte);
                yield return $"kfree_rcu({cte}, rcu)";
            }

            yield break;
        }

        foreach (TranslationCacheEntry cte in dist.lpi_translation_cache)
        {
            VgicIrq? irq = cte.irq;
            yield return $"list_for_each_entry(cte): {cte}->irq = {irq?.ToString() ?? "NULL"}";
            if (irq is null)
            {
                break;
            }

            if (V.LpiList())
            {
                yield return Stmt.Call(VgicPutLpiLocked(t, irq));
            }
            else
            {
                yield return Stmt.Call(VgicPutIrq(t, irq));
            }

            cte.irq = null;
            yield return $"{cte}->irq = NULL";
        }

        yield return Stmt.Call(RawSpinUnlockIrqrestore(t, dist.lpi_list_lock, flags));
    }

    /// <summary>
    /// vgic_its_inject_msi(): the cached fast path (vgic_its_inject_cached_translation()), else the
    /// slow path under its_lock (vgic_its_trigger_msi(): resolve the ITE, cache the translation, inject).
    /// </summary>
    internal IEnumerable<Stmt> VgicItsInjectMsi(TaskStruct t, int ev, Ret<int> result)
    {
        result.value = 0;
        var hit = new Ret<VgicIrq>();
        yield return Stmt.Call(VgicItsCheckCache(t, ev, hit));
        if (hit.value is VgicIrq cached)
        {
            var flags = new IrqFlags();
            yield return Stmt.Call(RawSpinLockIrqsave(t, cached.irq_lock, flags));
            cached.pending_latch = true;
            yield return $"{cached}->pending_latch = true";
            yield return Stmt.Call(VgicQueueIrqUnlock(t, cached, flags));
            if (V.CacheHitTakesRef())
            {
                yield return Stmt.Call(VgicPutIrq(t, cached));
            }

            yield break;
        }

        yield return $"vgic_its_inject_cached_translation() = -EWOULDBLOCK";
        yield return Stmt.Call(MutexLock(t, its.its_lock));
        ItsIte? ite = its.device_mapped ? its.itt.FirstOrDefault(i => i.event_id == ev) : null;
        yield return $"vgic_its_resolve_lpi: find_ite(its, 0, {ev}) = {ite?.ToString() ?? "NULL"}";
        if (ite is null)
        {
            result.value = EINVAL;
        }
        else
        {
            int target = ite.collection;
            bool enabled = vcpu[target].lpis_enabled;
            yield return $"vgic_lpis_enabled(vcpu{target}) = {enabled}";
            if (!enabled)
            {
                result.value = EBUSY;
            }
            else
            {
                VgicIrq irq = Kasan.Deref(k, ite.irq, "ite->irq");
                yield return Stmt.Call(VgicItsCacheTranslation(t, ev, irq));
                var flags = new IrqFlags();
                yield return Stmt.Call(RawSpinLockIrqsave(t, irq.irq_lock, flags));
                irq.pending_latch = true;
                yield return $"vgic_its_trigger_msi: {irq}->pending_latch = true";
                yield return Stmt.Call(VgicQueueIrqUnlock(t, irq, flags));
            }
        }

        yield return Stmt.Call(MutexUnlock(t, its.its_lock));
    }
}
