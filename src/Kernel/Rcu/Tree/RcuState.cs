using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>
/// The reduced rcu_state with its single rcu_node: gp_seq counts grace periods (odd while one is
/// in progress, as rcu_seq's state bits say), qsmask holds the CPUs that still owe a quiescent state.
/// </summary>
public sealed class RcuState(int cpus)
{
    /// <summary>
    /// The per-CPU struct rcu_data (tree.c's DEFINE_PER_CPU_SHARED_ALIGNED(struct rcu_data,
    /// rcu_data)): <c>rcu_data[cpu]</c> is per_cpu_ptr(&amp;rcu_data, cpu). The kernel declares it
    /// beside rcu_state, not in it; here rcu_state holds it so that Tree RCU owns its per-CPU data.
    /// </summary>
    public PerCpu<RcuData> rcu_data { get; } = new(cpus, cpu => new RcuData(cpu));

    public int gp_seq { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>rnp->gp_seq: rcu_gp_init() copies gp_seq here after rcu_seq_start(); rcu_gp_cleanup() ends it before rcu_state's.</summary>
    public int rnp_gp_seq { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>jiffies when the current grace period started.</summary>
    public int gp_start { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>RCU_GP_FLAG_INIT: a grace period was requested.</summary>
    public bool gp_flags { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>rnp->qsmask: bit N set while CPU N owes a quiescent state.</summary>
    public int qsmask { get => Access.Shared(field); set => field = Access.Shared(value); }

    public int jiffies_force_qs { get => Access.Shared(field); set => field = Access.Shared(value); }

    public TaskStruct? gp_kthread { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>The housekeeping CPU's callback list: (callback id, gp_seq that must have completed before it runs).</summary>
    public List<(int id, int gp_seq)> cblist { get => Access.Shared(field); } = [];

    /// <summary>The functions of callbacks queued by <see cref="RcuCallbacks.CallRcu"/> (rcu_head->func), by callback id.</summary>
    public List<(int id, IRcuCallback func)> callbacks { get => Access.Shared(field); } = [];

    /// <summary>synchronize_rcu() callers waiting for a grace period to end.</summary>
    public List<TaskStruct> waiters { get => Access.Shared(field); } = [];

    public bool GpInProgress => (gp_seq & 1) == 1;

    /// <summary>rcu_seq_snap(): the gp_seq that ends a full grace period starting after now.</summary>
    public int SeqSnap() => (gp_seq + 3) & ~1;
}
