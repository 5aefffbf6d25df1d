using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Lifetime;

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
