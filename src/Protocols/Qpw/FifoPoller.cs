using Verify.Kernel.Machine;

namespace Verify.Protocols.Qpw;

/// <summary>
/// F_c: a SCHED_FIFO busy poller (a DPDK or oslat thread) on an isolated CPU. It never yields: a
/// SCHED_OTHER kworker queued on its CPU never runs (strict SCHED_FIFO: no RT throttling, no fair
/// deadline server). It starts in the kernel, either returning from the syscall that filled its
/// CPU's cache (under IsolatedTaskWork, with the drain that syscall queued) or woken by an hrtimer,
/// goes back to user space and polls there for good.
/// </summary>
internal sealed class FifoPoller(QpwKernel q, int cpu) : QpwTask("poller", schedFifo: true, cpu)
{
    protected override IEnumerable<Stmt> Body(KernelState k)
    {
        yield return Stmt.Call(OwnerTask.ResumeUserMode(k, this, q));
        while (true)
        {
            yield return Stmt.RunUser("busy poll (user space)");
        }
    }
}
