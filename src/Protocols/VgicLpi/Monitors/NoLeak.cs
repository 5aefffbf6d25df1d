using Verify.Actors;
using Verify.Kernel.Lifetime;
using Verify.Specifications;

namespace Verify.Protocols.VgicLpi.Monitors;

/// <summary>
/// P-VG-S4: a vgic_irq whose count reached zero is freed (kfree(), or queued by kfree_rcu()), and a
/// translation cache entry the v2 design allocated is either linked into the cache or freed. Hot
/// while such an object is unaccounted for, so a run that ends with one is a liveness bug.
/// </summary>
public sealed class NoLeak : Monitor
{
    private readonly List<string> unfreed = [];

    [Start]
    [Cold]
    [OnEventDoAction(typeof(RefcountZero), nameof(OnOwnerless))]
    [OnEventDoAction(typeof(CacheEntryAllocated), nameof(OnOwnerless))]
    [OnEventDoAction(typeof(CacheEntryInserted), nameof(OnOwned))]
    [OnEventDoAction(typeof(SlabFreed), nameof(OnOwned))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class NothingUnaccounted : State
    {
    }

    [Hot]
    [OnEventDoAction(typeof(RefcountZero), nameof(OnOwnerless))]
    [OnEventDoAction(typeof(CacheEntryAllocated), nameof(OnOwnerless))]
    [OnEventDoAction(typeof(CacheEntryInserted), nameof(OnOwned))]
    [OnEventDoAction(typeof(SlabFreed), nameof(OnOwned))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class ObjectNotFreed : State
    {
    }

    private void OnOwnerless(Event e)
    {
        string o = e is RefcountZero z ? z.Object : ((CacheEntryAllocated)e).Entry;
        if (!unfreed.Contains(o))
        {
            unfreed.Add(o);
        }

        Logger.WriteLine($"<NoLeak> {o} has no owner until it is freed; unaccounted: {string.Join(", ", unfreed)}");
        RaiseGotoStateEvent<ObjectNotFreed>();
    }

    private void OnOwned(Event e)
    {
        unfreed.Remove(e is SlabFreed f ? f.Object : ((CacheEntryInserted)e).Entry);
        if (unfreed.Count == 0)
        {
            RaiseGotoStateEvent<NothingUnaccounted>();
        }
    }
}
