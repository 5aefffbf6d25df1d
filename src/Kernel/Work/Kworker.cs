using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Work;

/// <summary>kworker/N: the bound worker of CPU N's pool, a CFS task that runs the worklist in order.</summary>
public sealed class Kworker(int cpu) : TaskStruct($"kworker/{cpu}:1", schedFifo: false, cpu)
{
    /// <summary>The pool's worklist (pool->worklist).</summary>
    public List<WorkStruct> worklist { get => Access.Shared(field); } = [];

    protected internal override IEnumerable<Stmt> Body(KernelState k)
    {
        while (true)
        {
            while (worklist.Count == 0)
            {
                state = TaskState.Blocked;
                yield return Stmt.Call(Scheduler.Schedule(k, this, SchedMode.Voluntary, "worker_thread"));
            }

            // process_one_work(): take it off the list and clear PENDING before running it.
            WorkStruct work = worklist[0];
            worklist.RemoveAt(0);
            work.pending = false;
            work.running_on = cpu;
            work.running_seq = work.queued_seq;
            yield return $"process_one_work({work.name}): set_work_pool_and_clear_pending()";
            yield return Stmt.Call(work.Func(k, this));
            work.done_seq = work.running_seq;
            work.running_on = -1;
            work.flushers.WakeUpAll(k);
            yield return $"process_one_work({work.name}): done";
        }
    }
}
