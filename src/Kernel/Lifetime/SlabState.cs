using System.Runtime.CompilerServices;

namespace Verify.Kernel.Lifetime;

/// <summary>Where an object is in its life, as KASAN's shadow memory knows it.</summary>
public enum SlabState
{
    /// <summary>Not from the slab (a static or embedded object): its accesses are not checked.</summary>
    Static,

    /// <summary>Returned by kzalloc() and not freed.</summary>
    Allocated,

    /// <summary>Queued by kfree_rcu(): still allocated until rcu_do_batch() frees it after a grace period.</summary>
    RcuQueued,

    /// <summary>Freed: any access is a use-after-free.</summary>
    Freed,
}
