using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Protocols.Qpw;

/// <summary>
/// F_c: a SCHED_FIFO busy poller (a DPDK or oslat thread) on an isolated CPU. It never yields: a
/// SCHED_OTHER kworker queued on its CPU never runs (strict SCHED_FIFO: no RT throttling, no fair
/// deadline server). It starts in the kernel, either returning from the syscall that filled its
/// CPU's cache (under IsolatedTaskWork, with the drain that syscall queued) or woken by an hrtimer,
/// goes back to user space and polls there for good.
/// <para>
/// While time runs, its user-space loop is a halt until the next interrupt (<see cref="Stmt.RunUser"/>):
/// the kernel sees nothing of it between ticks. Once time has stopped, a poller with a task
/// runnable behind it (kworker/c, or rcuc/c with a quiescent state to report) keeps polling as a statement of its own, one per step, that changes nothing
/// (user space takes a whole jiffy in the rate model, so the CPU's statement count is already
/// saturated after the first): the run does not end, and the search sees the starvation as the
/// cycle it is, the poller looping while the task behind it waits on the run queue forever. With nothing
/// runnable behind it, it still halts after time stops, and the run ends there.
/// </para>
/// </summary>
internal sealed class FifoPoller(QpwKernel q, int cpu) : QpwTask("poller", schedFifo: true, cpu)
{
    /// <summary>The poller's loop in user space, as traces show it.</summary>
    internal const string BusyPoll = "busy poll (user space)";

    protected override IEnumerable<Stmt> Body(KernelState k)
    {
        yield return Stmt.Call(OwnerTask.ResumeUserMode(k, this, q));
        while (true)
        {
            yield return StarvesAnother(k) ? Stmt.LongWork(BusyPoll) : Stmt.RunUser(BusyPoll);
        }
    }

    /// <summary>Time has stopped (its last tick is past) and a task is runnable on this CPU's run queue, never picked behind the FIFO poller.</summary>
    private bool StarvesAnother(KernelState k) =>
        k.jiffies - k.config.StartJiffies >= k.config.MaxTicks
        && k.cpus[this.cpu].runqueue.Exists(t => t != this && t.state == TaskState.Running);
}
