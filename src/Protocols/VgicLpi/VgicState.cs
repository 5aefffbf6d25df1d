using Verify.Kernel.Lifetime;
using Verify.Kernel.Machine;
using Verify.Kernel.Sync;

namespace Verify.Protocols.VgicLpi;

/// <summary>struct vgic_dist's LPI state.</summary>
public sealed class VgicDist
{
    /// <summary>dist->lpi_xa (v6.9 on), an xarray of vgic_irq by INTID.</summary>
    public XArray<VgicIrq> lpi_xa { get; } = new("lpi_xa");

    /// <summary>dist->lpi_list_head (v6.7, v6.8).</summary>
    public List<VgicIrq> lpi_list { get => Access.Shared(field); } = [];

    /// <summary>dist->lpi_list_lock (raw_spinlock_t; gone in v6.10).</summary>
    public KernelLock lpi_list_lock { get; } = new(new LockClass("&dist->lpi_list_lock", LockKind.RawSpinlock), "lpi_list_lock");

    /// <summary>dist->lpi_list_count (v6.7, v6.8) / dist->lpi_count (atomic_t, v6.9 on).</summary>
    public int lpi_count { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>dist->lpi_translation_cache: the LRU list (most recent first) of v6.7 to v6.9, or the v2 design's rculist.</summary>
    public List<TranslationCacheEntry> lpi_translation_cache { get => Access.Shared(field); } = [];

    /// <summary>The v2 design's bound on its lazily allocated entries.</summary>
    public int cache_max { get; set; }

    /// <summary>
    /// The enable bit of the LPI configuration table as the guest left it before the run (the
    /// model's one byte for every LPI, read by INVALL's update_lpi_config()); set at boot, never
    /// written during a run.
    /// </summary>
    public bool propbase_enabled { get; set; } = true;
}

/// <summary>struct vgic_its, with device 0's ITEs and its translation cache (v6.10 on).</summary>
public sealed class VgicIts
{
    /// <summary>its->its_lock (struct mutex).</summary>
    public KernelLock its_lock { get; } = new(new LockClass("&its->its_lock", LockKind.Mutex), "its_lock");

    /// <summary>its->cmd_lock (struct mutex), held while the command queue is processed.</summary>
    public KernelLock cmd_lock { get; } = new(new LockClass("&its->cmd_lock", LockKind.Mutex), "its_cmd_lock");

    /// <summary>Device 0's itt_head.</summary>
    public List<ItsIte> itt { get => Access.Shared(field); } = [];

    /// <summary>Device 0 is mapped (MAPD V=0 unmaps it).</summary>
    public bool device_mapped { get => Access.Shared(field); set => field = Access.Shared(value); } = true;

    /// <summary>its->translation_cache (v6.10 on), keyed devid &lt;&lt; 16 | eventid.</summary>
    public XArray<VgicIrq> translation_cache { get; } = new("its->translation_cache");
}

/// <summary>struct vgic_cpu of one vCPU: its ap_list and whether its redistributor has LPIs enabled.</summary>
public sealed class VgicCpu(int id)
{
    public int id { get; } = id;

    /// <summary>vgic_cpu->ap_list_lock (raw_spinlock_t).</summary>
    public KernelLock ap_list_lock { get; } = new(new LockClass("&vgic_cpu->ap_list_lock", LockKind.RawSpinlock), $"vcpu{id}->ap_list_lock");

    /// <summary>vgic_cpu->ap_list_head.</summary>
    public List<VgicIrq> ap_list { get => Access.Shared(field); } = [];

    /// <summary>GICR_CTLR.EnableLPIs (vgic_lpis_enabled()).</summary>
    public bool lpis_enabled { get => Access.Shared(field); set => field = Access.Shared(value); } = true;
}

/// <summary>A return value of a function that runs as steps.</summary>
public sealed class Ret<T>
{
    public T? value { get; set; }
}
