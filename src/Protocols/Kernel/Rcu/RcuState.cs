namespace Verify.Protocols.Kernel.Rcu;

/// <summary>
/// The reduced rcu_state with its single rcu_node: gp_seq counts grace periods (odd while one is
/// in progress, as rcu_seq's state bits say), qsmask holds the CPUs that still owe a quiescent state.
/// </summary>
public sealed class RcuState
{
    public int gp_seq;

    /// <summary>jiffies when the current grace period started.</summary>
    public int gp_start;

    /// <summary>RCU_GP_FLAG_INIT: a grace period was requested.</summary>
    public bool gp_flags;

    /// <summary>rnp->qsmask: bit N set while CPU N owes a quiescent state.</summary>
    public int qsmask;

    public int jiffies_force_qs;

    public bool fqs_timer_armed;

    public TaskStruct? gp_kthread;

    /// <summary>The housekeeping CPU's callback list: (callback id, gp_seq that must have completed before it runs).</summary>
    public readonly List<(int id, int gp_seq)> cblist = [];

    /// <summary>synchronize_rcu() callers waiting for a grace period to end.</summary>
    public readonly List<TaskStruct> waiters = [];

    public bool GpInProgress => (gp_seq & 1) == 1;

    /// <summary>rcu_seq_snap(): the gp_seq that ends a full grace period starting after now.</summary>
    public int SeqSnap() => (gp_seq + 3) & ~1;
}

/// <summary>The fields of struct rcu_data that the nohz_full path reads.</summary>
public sealed class RcuData
{
    /// <summary>The grace period this CPU is aware of (rdp->gp_seq).</summary>
    public int gp_seq;

    /// <summary>rdp->cpu_no_qs.b.norm: no quiescent state seen yet in this grace period.</summary>
    public bool cpu_no_qs_norm;

    /// <summary>rdp->core_needs_qs: the RCU core still needs a quiescent state from this CPU.</summary>
    public bool core_needs_qs;

    /// <summary>rdp->rcu_watching_snap: ct->rcu_watching as the first FQS scan of this grace period saw it.</summary>
    public int rcu_watching_snap;

    /// <summary>rdp->rcu_cpu_has_work: rcuc/N has been asked to run rcu_core().</summary>
    public bool rcu_cpu_has_work;
}
