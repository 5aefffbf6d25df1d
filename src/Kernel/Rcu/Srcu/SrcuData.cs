using Verify.Kernel.Machine;
using Verify.Kernel.Memory;

namespace Verify.Kernel.Rcu.Srcu;

/// <summary>
/// struct srcu_data of one CPU: the reader counters of both srcu_idx ranks (incremented by that CPU,
/// summed by the grace-period worker from another: shared), the callbacks queued on it (in
/// SRCU_SIZE_SMALL only CPU 0's srcu_data holds callbacks) and its callback-invocation work. The
/// counters are words of the machine's memory.
/// </summary>
public sealed class SrcuData(SharedMemory mem, string srcu, int cpu, SrcuWork work)
{
    public int cpu { get; } = cpu;

    /// <summary>sdp->lock (spin_lock_irqsave_sdp_contention()): guards srcu_cblist and the sdp's needs.</summary>
    public Sync.KernelLock @lock { get; } = new(new Sync.LockClass("&sdp->lock", Sync.LockKind.Spinlock), $"sda[{cpu}]->lock");

    /// <summary>srcu_lock_count[2].</summary>
    public Location[] srcu_lock_count { get => Access.Shared(field); } = [mem.Declare($"{srcu}.sda[{cpu}]->srcu_lock_count[0]"), mem.Declare($"{srcu}.sda[{cpu}]->srcu_lock_count[1]")];

    /// <summary>srcu_unlock_count[2].</summary>
    public Location[] srcu_unlock_count { get => Access.Shared(field); } = [mem.Declare($"{srcu}.sda[{cpu}]->srcu_unlock_count[0]"), mem.Declare($"{srcu}.sda[{cpu}]->srcu_unlock_count[1]")];

    /// <summary>srcu_cblist, reduced to the callbacks and the grace period each waits for.</summary>
    public List<SrcuCallback> srcu_cblist { get => Access.Shared(field); } = [];

    public long srcu_gp_seq_needed { get => Access.Shared(field); set => field = Access.Shared(value); }

    public long srcu_gp_seq_needed_exp { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>sdp->work: srcu_invoke_callbacks().</summary>
    public SrcuWork work { get; } = work;
}
