using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Kernel.Work;

namespace Verify.Protocols.Qpw;

/// <summary>
/// W[c]: the caller's per-CPU work item (struct qpw_struct in the QPW versions: the work and the
/// CPU it drains). Run by kworker/c, or by the requester itself where queue_percpu_work_on() calls
/// the function directly.
/// </summary>
internal sealed class PcpDrainWork(QpwKernel q, int cpu) : WorkStruct($"{q.Names.Work}[{cpu}]")
{
    /// <summary>qpw_struct->cpu.</summary>
    internal int cpu { get; } = cpu;

    /// <summary>The work function: drains D[w->cpu], on kworker/c or called directly by a requester.</summary>
    protected override IEnumerable<Stmt> Func(KernelState k, TaskStruct worker) => q.DrainCpu(worker, cpu);
}
