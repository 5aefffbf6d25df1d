using Verify.Kernel.Lifetime;
using Verify.Kernel.Sync;

namespace Verify.Protocols.VgicLpi;

/// <summary>
/// struct vgic_irq of an LPI, from kzalloc(): every field access is checked by KASAN, the
/// refcount included, and so is reaching its irq_lock (taking the lock of a freed vgic_irq is a
/// use-after-free).
/// </summary>
public sealed class VgicIrq : SlabObject
{
    internal static readonly LockClass IrqLockClass = new("&irq->irq_lock", LockKind.RawSpinlock);

    public VgicIrq()
        : base("vgic_irq")
    {
        refcount = new Kref(this);
    }

    /// <summary>
    /// The value a pointer to this vgic_irq has in the model's shared memory (1, 2, ...: its
    /// registration order; 0 is NULL), and so the index of the words that mirror its fields there.
    /// </summary>
    internal int pointer;

    /// <summary>irq->refcount: a kref up to v6.10, a refcount_t after (the same operations).</summary>
    public Kref refcount { get; }

    /// <summary>irq->irq_lock (raw_spinlock_t).</summary>
    public KernelLock irq_lock { get => Load(field!); set => field = Store(value); }

    public int intid { get => Load(field); set => field = Store(value); }

    public bool pending_latch { get => Load(field); set => field = Store(value); }

    public bool enabled { get => Load(field); set => field = Store(value); }

    /// <summary>irq->target_vcpu: the vCPU the LPI is routed to.</summary>
    public int target_vcpu { get => Load(field); set => field = Store(value); }

    /// <summary>irq->vcpu: the vCPU whose ap_list holds it, -1 when on none.</summary>
    public int vcpu { get => Load(field); set => field = Store(value); } = -1;

    /// <summary>irq->lpi_list is linked on dist->lpi_list_head (v6.7, v6.8): list_add() and list_del() write the object.</summary>
    public bool on_lpi_list { get => Load(field); set => field = Store(value); }

    /// <summary>irq->pending_release (v6.17 only): the count reached zero under raw locks, release it later.</summary>
    public bool pending_release { get => Load(field); set => field = Store(value); }
}

/// <summary>
/// struct vgic_translation_cache_entry of the LRU cache (v6.7 to v6.9: allocated at init, reused) or
/// of the v2 design (allocated on insertion, freed on eviction): a (devid, eventid) and the vgic_irq
/// it translates to, holding a reference on it.
/// </summary>
public sealed class TranslationCacheEntry : SlabObject
{
    public TranslationCacheEntry()
        : base("vgic_translation_cache_entry")
    {
    }

    public int devid { get => Load(field); set => field = Store(value); }

    public int eventid { get => Load(field); set => field = Store(value); }

    /// <summary>cte->irq: NULL in an unused entry (RCU-protected in the v2 design).</summary>
    public VgicIrq? irq { get => Load(field); set => field = Store(value); }

    /// <summary>The v2 design's usage count, for choosing a victim.</summary>
    public int usage { get => Load(field); set => field = Store(value); }
}

/// <summary>struct its_ite: an event of a device mapped to a collection and a vgic_irq, holding a reference on it.</summary>
public sealed class ItsIte : SlabObject
{
    public ItsIte()
        : base("its_ite")
    {
    }

    public int event_id { get => Load(field); set => field = Store(value); }

    /// <summary>ite->collection: the collection (= the vCPU here) it targets.</summary>
    public int collection { get => Load(field); set => field = Store(value); }

    public VgicIrq? irq { get => Load(field); set => field = Store(value); }
}
