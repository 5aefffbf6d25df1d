using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Kernel.Work;

namespace Verify.Kernel.Rcu.Srcu;

/// <summary>
/// A delayed work item of SRCU (the grace-period worker process_srcu(), or a srcu_data's callback
/// invocation srcu_invoke_callbacks()), queued with queue_delayed_work_on() through the substrate's
/// timers; its function is an object (<see cref="ISrcuWorkFn"/>) that the version provides.
/// </summary>
public sealed class SrcuWork(string name, int cpu) : DelayedWork(name)
{
    /// <summary>The CPU whose pool runs it (rcu_gp_wq is per-CPU, and queue_delayed_work() runs the work on the queuing CPU; the model pins it).</summary>
    public int cpu { get; } = cpu;

    /// <summary>The function; set once, when the version's code is created.</summary>
    public ISrcuWorkFn? fn { get; set; }

    protected internal override IEnumerable<Stmt> Func(KernelState k, TaskStruct worker) =>
        fn?.Run(k, worker) ?? throw new InvalidOperationException($"{name} has no work function: the model must set SrcuWork.fn before queueing it.");
}
