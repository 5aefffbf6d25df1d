using Verify.Kernel.Irq;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Protocols.Qpw;

/// <summary>
/// T_c: an ordinary task that enters the kernel by a syscall <c>ops</c> times, each time adding one
/// item to its CPU's cache by the fast path, and returns to user space; then it blocks for good in
/// a last syscall (pause()). Under IsolatedTaskWork, a task that filled its LRU batch on a nohz_full
/// CPU drains the batch of the CPU it is on when it gets back to user space.
/// </summary>
internal sealed class OwnerTask(QpwKernel q, int ops, int cpu) : QpwTask("owner", schedFifo: false, cpu)
{
    protected override IEnumerable<Stmt> Body(KernelState k)
    {
        for (int i = 0; i < ops; i++)
        {
            yield return Stmt.Call(EntryCommon.SyscallEnter(k, this, q.Names.Syscall));
            yield return Stmt.Call(q.FastPath(this));
            yield return Stmt.Call(ResumeUserMode(k, this, q));
            yield return Stmt.LongWork("user space");
        }

        yield return Stmt.Call(EntryCommon.SyscallEnter(k, this, "pause"));
        while (true)
        {
            state = TaskState.Blocked;
            yield return Stmt.Call(Scheduler.Schedule(k, this, SchedMode.Voluntary, "pause"));
        }
    }

    /// <summary>
    /// The way back to user space: the isolated task work the task queued, if any, drains the LRU
    /// batch of the CPU it is on (resume_user_mode_work()); then exit_to_user_mode().
    /// </summary>
    internal static IEnumerable<Stmt> ResumeUserMode(KernelState k, QpwTask t, QpwKernel q)
    {
        if (t.lru_drain_pending)
        {
            t.lru_drain_pending = false;
            yield return $"resume_user_mode_work: task_work_run(): lru_add_and_bh_lrus_drain() on cpu{t.cpu}";
            yield return Stmt.Call(q.DrainCpu(t, t.cpu));
        }

        yield return Stmt.Call(EntryCommon.ExitToUserMode(k, t, "syscall_exit_to_user_mode"));
    }
}
