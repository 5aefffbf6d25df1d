using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Lifetime;

/// <summary>
/// What kref_put() calls when it drops the last reference: an object, not a delegate, so a model's
/// state stays plain data. It runs in kref_put()'s step, as the kernel calls it before kref_put()
/// returns; a release that must take a lock is refcount_dec_and_lock_irqsave()'s job, or the
/// caller's after a no-op release.
/// </summary>
public interface IKrefRelease
{
    void Release(KernelState k, TaskStruct t, Kref kref);
}

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

/// <summary>struct kref: a refcount_t with kref's names; each operation one atomic step in the caller's statement.</summary>
public sealed class Kref(SlabObject? owner, string field = "refcount")
{
    public RefcountT refcount { get; } = new(owner, field);

    /// <summary>The object the kref lives in (container_of()).</summary>
    public SlabObject? container => refcount.container;

    /// <summary>kref_init(): one reference, the creator's.</summary>
    public void Init() => refcount.Set(1);

    /// <summary>kref_read().</summary>
    public int Read() => refcount.Read();

    /// <summary>kref_get(): refcount_inc(); from zero it is refcount_t's "addition on 0" WARN.</summary>
    public void Get(KernelState k) => refcount.Inc(k);

    /// <summary>kref_get_unless_zero(): refcount_inc_not_zero(); false for an object whose last reference is gone.</summary>
    public bool GetUnlessZero(KernelState k) => refcount.IncNotZero(k);

    /// <summary>kref_put(kref, release): drops a reference; on the last, calls <paramref name="release"/> and returns true.</summary>
    public bool Put(KernelState k, TaskStruct t, IKrefRelease release)
    {
        if (!refcount.DecAndTest(k))
        {
            return false;
        }

        release.Release(k, t, this);
        return true;
    }
}
