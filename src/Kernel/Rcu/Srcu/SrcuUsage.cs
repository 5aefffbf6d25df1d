using Verify.Kernel.Machine;
using Verify.Kernel.Memory;
using Verify.Kernel.Sync;

namespace Verify.Kernel.Rcu.Srcu;

/// <summary>
/// struct srcu_usage (the update-side half of srcu_struct since v6.4; earlier the same fields sat in
/// srcu_struct itself): the lock, the grace-period mutexes, the sequence numbers, the expedited-delay
/// heuristics' counters and the grace-period work. SRCU_SIZE_SMALL: no srcu_node tree.
/// </summary>
public sealed class SrcuUsage
{
    public SrcuUsage(string name, SrcuWork work)
    {
        @lock = new KernelLock(new LockClass($"&{name}->srcu_sup->lock", LockKind.Spinlock), "srcu_sup->lock");
        srcu_gp_mutex = new KernelLock(new LockClass($"&{name}->srcu_sup->srcu_gp_mutex", LockKind.Mutex), "srcu_gp_mutex");
        srcu_cb_mutex = new KernelLock(new LockClass($"&{name}->srcu_sup->srcu_cb_mutex", LockKind.Mutex), "srcu_cb_mutex");
        this.work = work;
    }

    /// <summary>srcu_sup->lock (spin_lock_irq_rcu_node(ssp->srcu_sup)): a spinlock_t taken with interrupts off.</summary>
    public KernelLock @lock { get; }

    /// <summary>Serializes grace-period state changes (srcu_advance_state()).</summary>
    public KernelLock srcu_gp_mutex { get; }

    /// <summary>Serializes callback invocation scheduling at grace-period end (srcu_gp_end()).</summary>
    public KernelLock srcu_cb_mutex { get; }

    /// <summary>The grace-period sequence (<see cref="RcuSeq"/>).</summary>
    public long srcu_gp_seq { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>The furthest grace period any caller needs.</summary>
    public long srcu_gp_seq_needed { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>The furthest grace period any caller needs expedited.</summary>
    public long srcu_gp_seq_needed_exp { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>jiffies when the current grace period started (srcu_gp_start()).</summary>
    public long srcu_gp_start { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>Zero delays handed out in this grace-period phase (282d8998e997 on).</summary>
    public PlainVar srcu_n_exp_nodelay { get; } = new("srcu_n_exp_nodelay");

    /// <summary>The jiffy of process_srcu()'s last zero-delay reschedule (282d8998e997 on).</summary>
    public long reschedule_jiffies { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>Zero-delay reschedules in that jiffy (282d8998e997 on).</summary>
    public PlainVar reschedule_count { get; } = new("reschedule_count");

    /// <summary>ssp->srcu_sup->work: process_srcu() as delayed work.</summary>
    public SrcuWork work { get; }
}
