using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Kernel.Sync;

namespace Verify.Kernel.Work;

/// <summary>
/// struct work_struct: a function a kworker runs. PENDING is set from queueing until the worker
/// takes the item off the worklist (it may be queued again while running). Executions are
/// numbered so flush_work() waits exactly for the instance queued when it was called.
/// </summary>
public abstract class WorkStruct(string name)
{
    public string name { get; } = name;

    /// <summary>WORK_STRUCT_PENDING_BIT.</summary>
    public bool pending { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>The CPU whose kworker runs it now, -1 when it is not running.</summary>
    public int running_on { get => Access.Shared(field); set => field = Access.Shared(value); } = -1;

    /// <summary>Instances queued so far; the pending one, if any, has this number.</summary>
    public int queued_seq { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>The instance running now (valid while <see cref="running_on"/> is set).</summary>
    public int running_seq { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>The last instance that finished executing.</summary>
    public int done_seq { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>flush_work() callers waiting for an instance to finish.</summary>
    internal WaitQueue flushers { get; } = new($"flush_work({name})");

    /// <summary>The work function, run by <paramref name="worker"/> (kworker/N) one statement per step.</summary>
    protected internal abstract IEnumerable<Stmt> Func(KernelState k, TaskStruct worker);

    public override string ToString() => name;
}
