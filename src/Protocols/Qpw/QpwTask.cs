using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Protocols.Qpw;

/// <summary>A task on a modelled CPU that runs the fast path, with the isolated task work it may have queued.</summary>
internal abstract class QpwTask(string comm, bool schedFifo, int cpu) : TaskStruct(comm, schedFifo, cpu)
{
    /// <summary>IsolatedTaskWork: the task queued the LRU drain to run on its way back to user space.</summary>
    public bool lru_drain_pending { get => Access.CrossCpu(cpu, field); set => field = Access.CrossCpu(cpu, value); }
}
