using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Irq;

/// <summary>call_single_data_t: one call queued on a CPU; CSD_FLAG_LOCK is held from csd_lock() until the target's csd_unlock().</summary>
public sealed class Csd
{
    public SmpCallFunc? func { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>CSD_FLAG_LOCK.</summary>
    public bool locked { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>CSD_TYPE_SYNC: the sender waits, so the target unlocks after the call rather than before.</summary>
    public bool sync { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>The CPU the call was sent from; for a housekeeping sender, its housekeeping CPU (KernelState.HousekeepingCpuId).</summary>
    public int src { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>The task in csd_lock_wait() on it: a housekeeping kthread asleep, or a modelled CPU's task spinning.</summary>
    internal TaskStruct? waiter { get => Access.Shared(field); set => field = Access.Shared(value); }
}
