using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Rcu.Srcu;

/// <summary>The function of an <see cref="SrcuWork"/>: process_srcu() or srcu_invoke_callbacks(), one statement per step.</summary>
public interface ISrcuWorkFn
{
    IEnumerable<Stmt> Run(KernelState k, TaskStruct worker);
}
