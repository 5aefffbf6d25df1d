using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Specifications;

namespace Verify.Kernel.Sync;

/// <summary>
/// The checks lockdep and the scheduler's debug code make, as bug reports with their kernel
/// wording: an invalid wait context (a sleeping lock taken with a raw spinlock held, on
/// PREEMPT_RT), sleeping in atomic context, recursive locking, and unlock imbalance.
/// </summary>
public static class Lockdep
{
    /// <summary>check_wait_context(): on PREEMPT_RT a lock that may sleep cannot nest inside a raw spinlock.</summary>
    internal static void CheckWaitContext(KernelState k, TaskStruct t, KernelLock l)
    {
        if (!Sleeps(k, l.lock_class.Kind))
        {
            return;
        }

        foreach (KernelLock held in t.held_locks)
        {
            Lifetime.DebugReports.Check(k, held.lock_class.Kind != LockKind.RawSpinlock, Lifetime.DebugFacility.Lockdep,
                "BUG: Invalid wait context: {0} takes {1} ({2}, a sleeping lock here) while holding {3} (raw_spinlock_t).",
                t.comm, l.name, l.lock_class.Name, held.name);
        }
    }

    /// <summary>might_sleep(): sleeping with preemption or interrupts disabled is "scheduling while atomic".</summary>
    public static void MightSleep(KernelState k, TaskStruct t, string where)
    {
        if (t.cpu < 0)
        {
            return;
        }

        CpuState c = k.cpus[t.cpu];
        Lifetime.DebugReports.Check(k, c.preempt_count == 0 && !c.irqs_disabled, Lifetime.DebugFacility.Lockdep,
            "BUG: sleeping function called from invalid context at {0}: {1} on cpu{2}, preempt_count={3}, irqs_disabled={4}.",
            where, t.comm, c.cpu, c.preempt_count, c.irqs_disabled ? 1 : 0);
    }

    /// <summary>
    /// rtlock_might_resched(): a spinlock_t (or local_lock_t) taken on PREEMPT_RT may sleep, so
    /// __might_resched() checks the context as might_sleep() does, except that it discounts the
    /// RCU read-side nesting (a preemptible RCU reader may block on an rtmutex; here a reader holds
    /// preempt_count, so the CPU's open readers are subtracted from it).
    /// </summary>
    public static void MightResched(KernelState k, TaskStruct t, string where)
    {
        if (t.cpu < 0)
        {
            return;
        }

        CpuState c = k.cpus[t.cpu];
        int count = ReschedCount(k, c);
        Lifetime.DebugReports.Check(k, count <= 0 && !c.irqs_disabled, Lifetime.DebugFacility.Lockdep,
            "BUG: sleeping function called from invalid context at {0}: {1} on cpu{2}, preempt_count={3}, irqs_disabled={4}.",
            where, t.comm, c.cpu, count, c.irqs_disabled ? 1 : 0);
    }

    /// <summary>The preemption count __might_resched() judges: preempt_count() less the CPU's open RCU readers.</summary>
    private static int ReschedCount(KernelState k, CpuState c) => c.preempt_count - k.rcu_state.rcu_data[c.cpu].readers.Count;

    /// <summary>
    /// Whether a sleeping lock taken by <paramref name="t"/> now would be reported, by
    /// <see cref="CheckWaitContext"/> (a raw spinlock held) or <see cref="MightResched"/> (interrupts
    /// or preemption off): only on PREEMPT_RT, where spinlock_t and local_lock_t sleep.
    /// </summary>
    internal static bool SleepingLockIsInvalid(KernelState k, TaskStruct t)
    {
        if (!k.config.PreemptRt || t.cpu < 0)
        {
            return false;
        }

        CpuState c = k.cpus[t.cpu];
        return c.irqs_disabled || ReschedCount(k, c) > 0 || t.held_locks.Any(l => l.lock_class.Kind == LockKind.RawSpinlock);
    }

    /// <summary>
    /// check_deadlock(): taking a lock the task already holds. Where the run goes on after a report
    /// (<see cref="KernelConfig.ObserveDebugReports"/>), the acquisition then waits for itself, as the
    /// kernel's does: the task spins or sleeps there for good.
    /// </summary>
    internal static void CheckRecursion(KernelState k, TaskStruct t, KernelLock l) =>
        Lifetime.DebugReports.Check(k, l.owner != t, Lifetime.DebugFacility.Lockdep,
            "WARNING: possible recursive locking detected: {0} takes {1}, which it already holds.", t.comm, l.name);

    /// <summary>lock_release(): releasing a lock the task does not hold.</summary>
    internal static void CheckRelease(KernelState k, TaskStruct t, KernelLock l) =>
        Lifetime.DebugReports.Check(k, l.owner == t && t.held_locks.Contains(l), Lifetime.DebugFacility.Lockdep,
            "WARNING: bad unlock balance detected: {0} releases {1}, held by {2}.", t.comm, l.name, l.owner?.comm ?? "nobody");

    /// <summary>Whether a lock of this kind sleeps when contended on this kernel.</summary>
    public static bool Sleeps(KernelState k, LockKind kind) =>
        kind == LockKind.Mutex || (k.config.PreemptRt && kind is LockKind.Spinlock or LockKind.LocalLock);
}
