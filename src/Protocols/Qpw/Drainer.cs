using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sched;
using Verify.Kernel.Sync;
using Verify.Kernel.Work;

namespace Verify.Protocols.Qpw;

/// <summary>
/// R, the requester: one call of the caller's drain of every online CPU, then it sleeps for good.
/// It runs on the housekeeping CPU (cpu -1, whose own cache is not modelled) or on a modelled CPU
/// (where it must spin on a remote spinlock), starting at one of the first <c>startSpread</c> jiffies.
/// </summary>
internal sealed class Drainer(QpwKernel q, string comm, int cpu, int startSpread = 1) : TaskStruct(comm, schedFifo: false, cpu)
{
    /// <summary>The ecpu design's thread_info->ecpu: the CPU it emulates, -1 when not emulating (its own CPU then).</summary>
    internal int ecpu = -1;

    protected override IEnumerable<Stmt> Body(KernelState k)
    {
        if (startSpread > 1)
        {
            // The drain starts at a jiffy the exploration chooses: a timeout on the housekeeping CPU,
            // an hrtimer on a modelled one.
            int delay = k.RandomInteger(startSpread);
            if (cpu < 0)
            {
                yield return Stmt.Call(ScheduleTimeout(k, delay));
            }
            else if (delay > 0)
            {
                k.cpus[cpu].hrtimers.Add((k.jiffies + delay, this));
                state = TaskState.Blocked;
                yield return Stmt.Call(Scheduler.Schedule(k, this, SchedMode.Voluntary, "schedule_hrtimeout"));
            }
        }

        k.Observe(new DrainAllStarted(comm, q.Ledger(p => p.added), q.Caller));
        yield return $"{q.Names.DrainAll}()";
        yield return Stmt.Call(q.Caller == Caller.Memcg ? DrainAllStock(k) : DrainAllQueued(k));
        k.Observe(new DrainAllReturned(comm, q.Ledger(p => p.drained)));
        yield return $"{q.Names.DrainAll}() returns";
        while (true)
        {
            state = TaskState.Blocked;
            yield return Scheduler.Sleep(k, this, "drainer done");
        }
    }

    /// <summary>
    /// lru_add_drain_all() and flush_all_cpus_locked(): under the drainers' mutex, queue the work on
    /// every CPU with items (or, in QPW's spinlock mode, drain it at once under its lock), then flush
    /// each work queued.
    /// </summary>
    private IEnumerable<Stmt> DrainAllQueued(KernelState k)
    {
        string fn = q.Names.DrainAll;
        yield return Stmt.Call(Locking.Lock(k, this, q.mutex));
        var hasWork = new List<int>();
        for (int c = 0; c < k.cpus.Length; c++)
        {
            int nr = q.pcp[c].nr;
            yield return $"{fn}: for_each_online_cpu: cpu{c}: nr = {nr}";
            if (nr == 0)
            {
                continue;
            }

            PcpDrainWork w = q.work[c];
            if (q.EmulatesCpu)
            {
                yield return Stmt.Call(q.EmulatedDrain(this, c));
                continue;
            }

            if (q.RemoteSpinlock)
            {
                // queue_percpu_work_on(): WARN_ON(c != q->cpu); q->work.func(&q->work) on this CPU.
                yield return $"{fn}: queue_percpu_work_on(cpu{c}): {q.Names.Drain}() here";
                yield return Stmt.Call(q.DrainCpu(this, w.cpu));
                continue;
            }

            bool queued = Workqueues.QueueWorkOn(k, c, w);
            hasWork.Add(c);
            yield return $"{fn}: queue_work_on(cpu{c}, {q.Names.Workqueue}, &{w.name}) = {QpwKernel.C(queued)}";
        }

        foreach (int c in hasWork)
        {
            yield return Stmt.Call(Workqueues.FlushWork(k, this, q.work[c]));
        }

        yield return Stmt.Call(Locking.Unlock(k, this, q.mutex));
    }

    /// <summary>
    /// drain_all_stock(): only if percpu_charge_mutex is free; per CPU with charges and no drain in
    /// flight, set FLUSHING_CACHED_CHARGE, then drain this CPU's stock here, and another's by
    /// schedule_work_on() unless it is isolated (6a792697a53a), the check and the enqueue inside
    /// rcu_read_lock() in the later form. It does not wait for the work.
    /// </summary>
    private IEnumerable<Stmt> DrainAllStock(KernelState k)
    {
        string fn = q.Names.DrainAll;
        yield return Stmt.Call(Locking.Trylock(k, this, q.mutex));
        if (!q.mutex.IsHeldBy(this))
        {
            yield return $"{fn}: mutex_trylock(&percpu_charge_mutex) failed: return";
            yield break;
        }

        migration_disabled++;
        yield return $"{fn}: migrate_disable()";
        int curcpu = cpu;
        yield return $"{fn}: curcpu = smp_processor_id() = {(curcpu < 0 ? "the housekeeping CPU" : curcpu)}";
        for (int c = 0; c < k.cpus.Length; c++)
        {
            QpwPcp stock = q.pcp[c];
            bool flushing = stock.flushing;
            yield return $"{fn}: cpu{c}: test_bit(FLUSHING_CACHED_CHARGE) = {QpwKernel.C(flushing)}";
            if (flushing)
            {
                continue;
            }

            int nr = stock.nr;
            yield return $"{fn}: cpu{c}: stock->nr_pages = {nr}";
            if (nr == 0)
            {
                continue;
            }

            bool wasSet = stock.flushing;
            stock.flushing = true;
            if (!wasSet)
            {
                k.Observe(new FlushingBit(c, set: true));
            }

            yield return $"{fn}: cpu{c}: test_and_set_bit(FLUSHING_CACHED_CHARGE) = {QpwKernel.C(wasSet)}";
            if (wasSet)
            {
                continue;
            }

            if (c == curcpu)
            {
                yield return Stmt.Call(q.DrainCpu(this, c));
                continue;
            }

            bool guarded = q.Variant.MemcgRcuGuard();
            if (guarded)
            {
                yield return Stmt.Call(RcuReadLock(k));
            }

            bool skip = false;
            if (q.Variant.MemcgSkipsIsolated())
            {
                skip = q.Isolation.CpuIsIsolated(c);
                yield return $"{fn}: cpu_is_isolated(cpu{c}) = {QpwKernel.C(skip)}";
            }

            if (!skip)
            {
                if (q.EmulatesCpu)
                {
                    yield return Stmt.Call(q.EmulatedDrain(this, c));
                }
                else if (q.RemoteSpinlock)
                {
                    yield return $"{fn}: queue_percpu_work_on(cpu{c}): {q.Names.Drain}() here";
                    yield return Stmt.Call(q.DrainCpu(this, c));
                }
                else
                {
                    bool queued = Workqueues.QueueWorkOn(k, c, q.work[c]);
                    yield return $"{fn}: schedule_work_on(cpu{c}, &{q.work[c].name}) = {QpwKernel.C(queued)}";
                }
            }

            if (guarded)
            {
                yield return Stmt.Call(RcuReadUnlock(k));
            }
        }

        migration_disabled--;
        yield return $"{fn}: migrate_enable()";
        yield return Stmt.Call(Locking.Unlock(k, this, q.mutex));
    }

    /// <summary>
    /// rcu_read_lock(). On the housekeeping CPU, which owes RCU no quiescent states in this model,
    /// it is a statement only: scenarios with a synchronize_rcu() caller that the section must hold
    /// off (the cpuset writer) run the drainer on a modelled CPU instead.
    /// </summary>
    private IEnumerable<Stmt> RcuReadLock(KernelState k) =>
        cpu < 0 ? ["rcu_read_lock() (housekeeping CPU: no writer waits for it here)"] : RcuReadSide.RcuReadLock(k, this);

    private IEnumerable<Stmt> RcuReadUnlock(KernelState k) =>
        cpu < 0 ? ["rcu_read_unlock()"] : RcuReadSide.RcuReadUnlock(k, this);
}
