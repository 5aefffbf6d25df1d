using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Kernel.Sync;

namespace Verify.Kernel.Lifetime;

/// <summary>
/// The <c>unsigned long flags</c> of spin_lock_irqsave(): whether interrupts were already off, so
/// that spin_unlock_irqrestore() turns them back on only if the lock turned them off. The caller
/// keeps one per critical section, as the kernel keeps it on the stack.
/// </summary>
public sealed class IrqFlags
{
    public bool irqs_were_disabled { get; set; }

    /// <summary>spin_lock_irqsave() (raw_ or not, as the lock's kind says): save the interrupt state, then lock with interrupts off.</summary>
    public static IEnumerable<Stmt> SpinLockIrqsave(KernelState k, TaskStruct t, KernelLock l, IrqFlags flags)
    {
        // On PREEMPT_RT a spinlock_t sleeps and leaves interrupts on; Locking knows that.
        flags.irqs_were_disabled = k.cpus[t.cpu].irqs_disabled;
        yield return Stmt.Call(Locking.Lock(k, t, l, irqsave: true));
    }

    /// <summary>spin_unlock_irqrestore(): unlock, and turn interrupts on only if they were on at the save.</summary>
    public static IEnumerable<Stmt> SpinUnlockIrqrestore(KernelState k, TaskStruct t, KernelLock l, IrqFlags flags)
    {
        yield return Stmt.Call(Locking.Unlock(k, t, l, irq: !flags.irqs_were_disabled, irqrestore: true));
    }
}
