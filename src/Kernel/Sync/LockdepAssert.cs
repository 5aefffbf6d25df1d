using Verify.Kernel.Sched;
using Verify.Specifications;

namespace Verify.Kernel.Sync;

/// <summary>
/// lockdep_assert_held(): a function states that its caller holds a lock. A version calls it where
/// its code does; a monitor can apply the same rule to every access of a variable through the held
/// locks each <see cref="Memory.PlainAccessed"/> carries.
/// </summary>
public static class LockdepAssert
{
    /// <summary>lockdep_assert_held(<paramref name="l"/>) in <paramref name="where"/>, by <paramref name="t"/>: part of the caller's step.</summary>
    public static void Held(TaskStruct t, KernelLock l, string where) =>
        Specification.Assert(l.IsHeldBy(t),
            "WARNING: lockdep_assert_held({0}) in {1}: {2} on cpu{3} does not hold it{4}.",
            l.name, where, t.comm, t.cpu, l.owner is null ? string.Empty : $" ({l.owner.comm} does)");
}
