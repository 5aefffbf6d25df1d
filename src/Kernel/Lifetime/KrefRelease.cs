using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Lifetime;

/// <summary>Ready-made releases: free the container now, after a grace period, or not at all.</summary>
public static class KrefRelease
{
    /// <summary>kfree(container_of(kref, ...)).</summary>
    public static IKrefRelease Kfree { get; } = new KfreeRelease();

    /// <summary>kfree_rcu(container_of(kref, ...), rcu).</summary>
    public static IKrefRelease KfreeRcu { get; } = new KfreeRcuRelease();

    /// <summary>A release that does nothing: the caller frees, or forgets to.</summary>
    public static IKrefRelease Noop { get; } = new NoopRelease();

    private sealed class KfreeRelease : IKrefRelease
    {
        public void Release(KernelState k, TaskStruct t, Kref kref) => Slab.Kfree(k, t, kref.container);
    }

    private sealed class KfreeRcuRelease : IKrefRelease
    {
        public void Release(KernelState k, TaskStruct t, Kref kref) => Slab.KfreeRcu(k, t, kref.container);
    }

    private sealed class NoopRelease : IKrefRelease
    {
        public void Release(KernelState k, TaskStruct t, Kref kref)
        {
        }
    }
}
