using Verify.Kernel.Lifetime;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Sync;

/// <summary>
/// lockdep_sys_exit(): a task going back to user space (the end of an ioctl or of an MMIO exit's
/// handling) must hold no lock; one still held is a lock imbalance, a function that returned
/// without releasing what it took.
/// </summary>
public static class LockdepSysExit
{
    public static IEnumerable<Stmt> Check(KernelState k, TaskStruct t, string where)
    {
        List<KernelLock> held = t.held_locks;
        DebugReports.Check(k, held.Count == 0, DebugFacility.Lockdep,
            "WARNING: lock held when returning to user space! {0} is leaving the kernel at {1} with {2} held.",
            t.comm, where, string.Join(", ", held.Select(l => l.name)));
        yield return $"lockdep_sys_exit() at {where}";
    }
}
