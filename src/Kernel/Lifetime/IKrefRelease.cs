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
