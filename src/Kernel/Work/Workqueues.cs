using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Kernel.Sync;

namespace Verify.Kernel.Work;

/// <summary>
/// The per-CPU bound worker pools (system_wq): queue_work_on(), queue_delayed_work_on(),
/// flush_work(). Each queueing that wakes a CPU's kworker is observed (<see cref="WorkQueued"/>),
/// which is what a remote drain costs the CPU it targets.
/// </summary>
public sealed class Workqueues
{
    private Workqueues(KernelState k)
    {
        kworkers = new Kworker[k.cpus.Length];
        for (int i = 0; i < kworkers.Length; i++)
        {
            kworkers[i] = new Kworker(i) { state = TaskState.Blocked };
        }
    }

    /// <summary>kworker/N of each CPU.</summary>
    public Kworker[] kworkers { get; }

    /// <summary>Creates the pools and their sleeping kworkers; call before <see cref="KernelState.Boot"/>.</summary>
    public static Workqueues Boot(KernelState k) => k.workqueues = new Workqueues(k);

    /// <summary>queue_work_on(): false if the work is already pending; else on CPU <paramref name="cpu"/>'s worklist, its kworker woken.</summary>
    public static bool QueueWorkOn(KernelState k, int cpu, WorkStruct work)
    {
        if (work.pending)
        {
            return false;
        }

        work.pending = true;
        work.queued_seq++;
        Enqueue(k, cpu, work);
        return true;
    }

    /// <summary>queue_delayed_work_on(): false if pending; else its timer queues it on <paramref name="cpu"/> after <paramref name="delay"/> jiffies (at once for 0).</summary>
    public static bool QueueDelayedWorkOn(KernelState k, int cpu, DelayedWork dwork, int delay)
    {
        if (dwork.pending)
        {
            return false;
        }

        dwork.pending = true;
        dwork.queued_seq++;
        if (delay == 0)
        {
            Enqueue(k, cpu, dwork);
            return true;
        }

        dwork.timer.work = dwork;
        dwork.timer.cpu = cpu;
        dwork.timer.expires = k.jiffies + delay;
        k.timers.Add(dwork.timer);
        return true;
    }

    /// <summary>insert_work(): add to the worklist and wake the worker if it sleeps.</summary>
    internal static void Enqueue(KernelState k, int cpu, WorkStruct work)
    {
        Kworker worker = k.workqueues!.kworkers[cpu];
        worker.worklist.Add(work);
        bool woke = worker.state != TaskState.Running;
        bool reschedPending = k.cpus[cpu].need_resched;
        Scheduler.WakeUpProcess(k, worker);
        k.Observe(new WorkQueued(cpu, work.name, woke, woke && !reschedPending && k.cpus[cpu].need_resched));
    }

    /// <summary>
    /// flush_work(): sleeps until the instance pending or running when called has finished; returns
    /// at once (one step) when there is none.
    /// </summary>
    public static IEnumerable<Stmt> FlushWork(KernelState k, TaskStruct t, WorkStruct work)
    {
        string where = $"flush_work({work.name})";
        Lockdep.MightSleep(k, t, where);
        int target = work.pending ? work.queued_seq : work.running_on >= 0 ? work.running_seq : work.done_seq;
        while (work.done_seq < target)
        {
            work.flushers.PrepareToWait(t);
            yield return Scheduler.Sleep(k, t, where);
        }

        work.flushers.FinishWait(t);
        yield return $"{where} returns";
    }
}
