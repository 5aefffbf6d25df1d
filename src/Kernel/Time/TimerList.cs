using Verify.Kernel.Machine;

namespace Verify.Kernel.Time;

/// <summary>A timer_list: fires on the first tick at or after <see cref="expires"/> (in jiffies), from do_timer().</summary>
public abstract class TimerList
{
    public int expires { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>The timer's function, run in the tick of the housekeeping CPU.</summary>
    protected internal abstract void Fire(KernelState k);
}
