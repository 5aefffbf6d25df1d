namespace Verify.Protocols.Kernel.Rcu;

/// <summary>
/// The reduced rcu_state with its single rcu_node: gp_seq counts grace periods (odd while one is
/// in progress, as rcu_seq's state bits say), qsmask holds the CPUs that still owe a quiescent state.
/// </summary>
public sealed class RcuState
{
    public int gp_seq { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>jiffies when the current grace period started.</summary>
    public int gp_start { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>RCU_GP_FLAG_INIT: a grace period was requested.</summary>
    public bool gp_flags { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>rnp->qsmask: bit N set while CPU N owes a quiescent state.</summary>
    public int qsmask { get => Access.Shared(field); set => field = Access.Shared(value); }

    public int jiffies_force_qs { get => Access.Shared(field); set => field = Access.Shared(value); }

    public bool fqs_timer_armed { get => Access.Shared(field); set => field = Access.Shared(value); }

    public TaskStruct? gp_kthread { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>The housekeeping CPU's callback list: (callback id, gp_seq that must have completed before it runs).</summary>
    public List<(int id, int gp_seq)> cblist { get => Access.Shared(field); } = [];

    /// <summary>synchronize_rcu() callers waiting for a grace period to end.</summary>
    public List<TaskStruct> waiters { get => Access.Shared(field); } = [];

    public bool GpInProgress => (gp_seq & 1) == 1;

    /// <summary>rcu_seq_snap(): the gp_seq that ends a full grace period starting after now.</summary>
    public int SeqSnap() => (gp_seq + 3) & ~1;
}

/// <summary>The fields of struct rcu_data that the nohz_full path reads.</summary>
public sealed class RcuData(int cpu)
{
    private readonly int cpu = cpu;

    /// <summary>The grace period this CPU is aware of (rdp->gp_seq).</summary>
    public int gp_seq { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    /// <summary>rdp->cpu_no_qs.b.norm: no quiescent state seen yet in this grace period.</summary>
    public bool cpu_no_qs_norm { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    /// <summary>rdp->core_needs_qs: the RCU core still needs a quiescent state from this CPU.</summary>
    public bool core_needs_qs { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>rdp->rcu_watching_snap: ct->rcu_watching as the first FQS scan of this grace period saw it.</summary>
    public int rcu_watching_snap { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>rdp->rcu_cpu_has_work: rcuc/N has been asked to run rcu_core().</summary>
    public bool rcu_cpu_has_work { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }
}
