namespace Verify.Kernel.Lifetime;

/// <summary>
/// gfp_t, reduced to what decides the model: whether the allocation may sleep (direct reclaim,
/// so might_sleep() applies) and whether it may fail. Any allocation without __GFP_NOFAIL may fail.
/// </summary>
[Flags]
public enum Gfp
{
    /// <summary>GFP_NOWAIT: no sleeping, may fail.</summary>
    GFP_NOWAIT = 0,

    /// <summary>__GFP_DIRECT_RECLAIM: the allocator may sleep to reclaim memory.</summary>
    __GFP_DIRECT_RECLAIM = 1,

    /// <summary>__GFP_ACCOUNT: charged to the memory cgroup (no effect on the model).</summary>
    __GFP_ACCOUNT = 2,

    /// <summary>__GFP_HIGH: may use the atomic reserves.</summary>
    __GFP_HIGH = 4,

    /// <summary>__GFP_NOFAIL: never fails (used for the objects a scenario starts with).</summary>
    __GFP_NOFAIL = 8,

    GFP_KERNEL = __GFP_DIRECT_RECLAIM,

    GFP_KERNEL_ACCOUNT = GFP_KERNEL | __GFP_ACCOUNT,

    GFP_ATOMIC = __GFP_HIGH,
}
