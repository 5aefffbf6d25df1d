using Verify.Kernel.Machine;

namespace Verify.Kernel.Sched;

/// <summary>
/// struct preempt_notifier with its preempt_ops: what a subsystem (a hypervisor's vCPU, say) runs
/// when the task it is registered on is switched out and back in
/// (<see cref="TaskStruct.PreemptNotifierRegister"/>).
/// </summary>
public interface IPreemptNotifier
{
    /// <summary>ops->sched_out(): in prepare_task_switch(), before the switch, interrupts off; its statements run on <paramref name="c"/>.</summary>
    IEnumerable<Stmt> SchedOut(KernelState k, CpuState c, TaskStruct t);

    /// <summary>ops->sched_in(): in finish_task_switch(), with preemption still off, merged into that statement.</summary>
    void SchedIn(KernelState k, CpuState c, TaskStruct t);
}
