using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Sync;

/// <summary>
/// Lock operations as the kernel has them, each acquisition and release a step, called with
/// <see cref="Stmt.Call"/> from task code. A contended spinning lock parks the CPU
/// (<see cref="StmtKind.Spin"/>) until the holder's release kicks it; a contended sleeping lock
/// puts the task to sleep until the release wakes it. Neither costs a state per spin.
/// Housekeeping kthreads may take sleeping locks only.
/// </summary>
public static class Locking
{
    /// <summary>
    /// raw_spin_lock[_irq](), spin_lock[_irq]() and mutex_lock(), as the lock's kind and PREEMPT_RT
    /// say; <paramref name="irqsave"/> names the step spin_lock_irqsave() (interrupts go off as with
    /// _irq; the caller keeps the saved state, <see cref="Lifetime.IrqFlags"/>).
    /// </summary>
    public static IEnumerable<Stmt> Lock(KernelState k, TaskStruct t, KernelLock l, bool irq = false, bool irqsave = false)
    {
        irq |= irqsave;
        string op = Name(l, "lock", irqsave ? "_irqsave" : irq ? "_irq" : string.Empty);
        Lockdep.CheckRecursion(k, t, l);
        Lockdep.CheckWaitContext(k, t, l);
        LockDependencies.CheckPrevsAdd(k, t, l);
        if (Lockdep.Sleeps(k, l.lock_class.Kind))
        {
            // mutex_lock(): might_sleep(). rt_spin_lock() pins the task only once it holds the lock
            // (rtlock_lock(); rcu_read_lock(); migrate_disable()): a waiter may still migrate.
            if (l.lock_class.Kind == LockKind.Mutex)
            {
                Lockdep.MightSleep(k, t, op);
            }
            else
            {
                Lockdep.MightResched(k, t, op);
            }

            LockDependencies.MarkUsage(k, t, l);
            while (l.owner is not null)
            {
                // The slow path: queue as a waiter and sleep until the holder's release wakes us.
                if (!l.waiters.Contains(t))
                {
                    l.waiters.Add(t);
                }

                t.state = TaskState.Blocked;
                yield return Scheduler.Sleep(k, t, $"{op}({l.name}) contended");
            }

            l.waiters.Remove(t);
            Take(t, l);
            if (l.lock_class.Kind != LockKind.Mutex)
            {
                t.migration_disabled++;
            }

            yield return $"{op}({l.name})";
            yield break;
        }

        // Spinning: preemption off (and interrupts with _irq) for the whole critical section.
        SpinningOnModelledCpu(t, l);
        CpuState c = k.cpus[t.cpu];
        if (irq)
        {
            c.irqs_disabled = true;
        }

        c.preempt_count++;
        LockDependencies.MarkUsage(k, t, l);
        while (l.owner is not null)
        {
            l.spinners |= 1 << c.cpu;
            yield return Stmt.Spin($"{op}({l.name}): spinning, {l.owner.comm} holds it");
        }

        l.spinners &= ~(1 << c.cpu);
        Take(t, l);
        yield return $"{op}({l.name})";
    }

    /// <summary>spin_trylock() and friends: takes the lock if it is free, in one step; the caller asks <see cref="KernelLock.IsHeldBy"/>.</summary>
    public static IEnumerable<Stmt> Trylock(KernelState k, TaskStruct t, KernelLock l)
    {
        Lockdep.CheckRecursion(k, t, l);
        bool free = l.owner is null;
        if (free)
        {
            Lockdep.CheckWaitContext(k, t, l);
            if (Lockdep.Sleeps(k, l.lock_class.Kind))
            {
                if (l.lock_class.Kind != LockKind.Mutex)
                {
                    t.migration_disabled++;
                }
            }
            else
            {
                SpinningOnModelledCpu(t, l);
                k.cpus[t.cpu].preempt_count++;
            }

            Take(t, l);
            LockDependencies.MarkUsage(k, t, l);
        }

        yield return $"{Name(l, "trylock", string.Empty)}({l.name}) = {(free ? 1 : 0)}";
    }

    /// <summary>
    /// The matching unlock: wakes the first sleeping waiter or kicks the spinning CPUs, then ends the
    /// critical section; interrupts go back on with <paramref name="irq"/>. <paramref name="irqrestore"/>
    /// names the step spin_unlock_irqrestore(), which turns them on only if the save found them on
    /// (the caller passes that as <paramref name="irq"/>).
    /// </summary>
    public static IEnumerable<Stmt> Unlock(KernelState k, TaskStruct t, KernelLock l, bool irq = false, bool irqrestore = false)
    {
        string op = Name(l, "unlock", irqrestore ? "_irqrestore" : irq ? "_irq" : string.Empty);
        Lockdep.CheckRelease(k, t, l);
        Release(t, l);
        if (Lockdep.Sleeps(k, l.lock_class.Kind))
        {
            if (l.waiters.Count > 0)
            {
                Scheduler.WakeUpProcess(k, l.waiters[0]);
            }

            if (l.lock_class.Kind != LockKind.Mutex)
            {
                t.migration_disabled--;
            }

            yield return $"{op}({l.name})";
            yield break;
        }

        for (int cpu = 0; cpu < k.cpus.Length; cpu++)
        {
            if ((l.spinners & (1 << cpu)) != 0)
            {
                k.Kick(k.cpus[cpu]);
            }
        }

        // The release and preempt_enable() are one step: the count drops and need_resched is tested together.
        if (irq)
        {
            k.cpus[t.cpu].irqs_disabled = false;
        }

        yield return Stmt.Call(Scheduler.PreemptEnable(k, t, $"{op}({l.name})"));
    }

    /// <summary>
    /// local_lock(): without PREEMPT_RT, preempt_disable() and this CPU's instance (no one else can
    /// take it); on PREEMPT_RT, migrate_disable() and then this CPU's spinlock_t, a sleeping lock.
    /// </summary>
    public static IEnumerable<Stmt> LocalLock(KernelState k, TaskStruct t, PerCpu<KernelLock> locks)
    {
        if (!k.config.PreemptRt)
        {
            KernelLock mine = locks[t.cpu];
            Lockdep.CheckRecursion(k, t, mine);
            LockDependencies.CheckPrevsAdd(k, t, mine);
            k.cpus[t.cpu].preempt_count++;
            Take(t, mine);
            LockDependencies.MarkUsage(k, t, mine);
            yield return $"local_lock({mine.name}): preempt_disable()";
            yield break;
        }

        t.migration_disabled++;
        yield return "local_lock: migrate_disable()";
        yield return Stmt.Call(Lock(k, t, locks[t.cpu]));
    }

    /// <summary>
    /// local_trylock(): without PREEMPT_RT, preempt_disable() and this CPU's instance if no one on
    /// this CPU holds it (else preempt_enable() again); on PREEMPT_RT, migrate_disable() and
    /// spin_trylock() of this CPU's lock, migrate_enable() again if that fails. The caller asks
    /// <see cref="KernelLock.IsHeldBy"/>.
    /// </summary>
    public static IEnumerable<Stmt> LocalTrylock(KernelState k, TaskStruct t, PerCpu<KernelLock> locks)
    {
        if (!k.config.PreemptRt)
        {
            KernelLock mine = locks[t.cpu];
            bool free = mine.owner is null;
            if (free)
            {
                Lockdep.CheckRecursion(k, t, mine);
                k.cpus[t.cpu].preempt_count++;
                Take(t, mine);
            }

            yield return $"local_trylock({mine.name}) = {(free ? 1 : 0)}";
            yield break;
        }

        t.migration_disabled++;
        yield return "local_trylock: migrate_disable()";
        KernelLock l = locks[t.cpu];
        yield return Stmt.Call(Trylock(k, t, l));
        if (!l.IsHeldBy(t))
        {
            t.migration_disabled--;
            yield return "local_trylock: migrate_enable()";
        }
    }

    /// <summary>local_unlock(): the reverse of <see cref="LocalLock"/> on the CPU the task is pinned to.</summary>
    public static IEnumerable<Stmt> LocalUnlock(KernelState k, TaskStruct t, PerCpu<KernelLock> locks)
    {
        KernelLock mine = locks[t.cpu];
        if (!k.config.PreemptRt)
        {
            Lockdep.CheckRelease(k, t, mine);
            Release(t, mine);
            yield return Stmt.Call(Scheduler.PreemptEnable(k, t, $"local_unlock({mine.name})"));
            yield break;
        }

        yield return Stmt.Call(Unlock(k, t, mine));
        t.migration_disabled--;
        yield return "local_unlock: migrate_enable()";
    }

    /// <summary>A housekeeping kthread has no modelled CPU whose preemption count a spinning lock could raise.</summary>
    private static void SpinningOnModelledCpu(TaskStruct t, KernelLock l)
    {
        if (t.cpu < 0)
        {
            throw new InvalidOperationException($"{t.comm} is a housekeeping kthread and takes {l.name}, a spinning {l.lock_class.Kind} here: housekeeping kthreads take sleeping locks only (a mutex, or a spinlock_t on PREEMPT_RT). Run the task on a modelled CPU.");
        }
    }

    private static void Take(TaskStruct t, KernelLock l)
    {
        l.owner = t;
        l.owner_cpu = t.cpu;
        t.held_locks.Add(l);
    }

    private static void Release(TaskStruct t, KernelLock l)
    {
        l.owner = null;
        l.owner_cpu = -1;
        t.held_locks.Remove(l);
    }

    private static string Name(KernelLock l, string op, string irq) => l.lock_class.Kind switch
    {
        LockKind.RawSpinlock => $"raw_spin_{op}{irq}",
        LockKind.Spinlock => $"spin_{op}{irq}",
        LockKind.Mutex => $"mutex_{op}",
        _ => $"local_{op}",
    };
}
