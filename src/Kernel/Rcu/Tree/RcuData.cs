using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Specifications;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>The fields of struct rcu_data the model uses: the grace period and quiescent-state flags, the read-side sections open on the CPU, rcuc/N and its work flag.</summary>
public sealed class RcuData(int cpu)
{
    [Frozen]
    private readonly int cpu = cpu;

    /// <summary>rdp->grpmask: this CPU's bit in rnp->qsmask.</summary>
    public int grpmask => 1 << cpu;

    /// <summary>The grace period this CPU is aware of (rdp->gp_seq).</summary>
    public int gp_seq { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    /// <summary>rdp->cpu_no_qs.b.norm: no quiescent state seen yet in this grace period.</summary>
    public bool cpu_no_qs_norm { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    /// <summary>rdp->core_needs_qs: the RCU core still needs a quiescent state from this CPU.</summary>
    public bool core_needs_qs { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    /// <summary>rdp->rcu_watching_snap: ct->rcu_watching as the first FQS scan of this grace period saw it.</summary>
    public int rcu_watching_snap { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>
    /// The read-side critical sections open on this CPU (<see cref="RcuReadSide"/>), innermost
    /// last, by reader number: rcu_read_unlock() reports the one it closes.
    /// </summary>
    public List<int> readers { get => Access.PerCpu(cpu, field); } = [];

    /// <summary>rdp->rcu_cpu_has_work: rcuc/N has been asked to run rcu_core().</summary>
    public bool rcu_cpu_has_work { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    /// <summary>rdp->rcu_cpu_kthread_task: this CPU's rcuc/N kthread (rcutree.use_softirq=0).</summary>
    public TaskStruct? rcu_cpu_kthread_task { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }
}
