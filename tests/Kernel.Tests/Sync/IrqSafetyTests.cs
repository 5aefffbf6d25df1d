using Verify.Actors;
using Verify.Kernel.Irq;
using Verify.Kernel.Machine;
using Verify.Kernel.Sync;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Sync;

/// <summary>
/// lockdep's hard-interrupt usage rule, searched exhaustively: cpu0 sends cpu1 a function call
/// whose handler takes a lock in hard interrupt context, while cpu1's task takes the same lock
/// class. With spin_lock() (interrupts on) the class is "inconsistent {IN-HARDIRQ-W} ->
/// {HARDIRQ-ON-W}" or the reverse, whichever usage came first, and the report comes before the
/// handler would spin on a lock its own CPU holds; with spin_lock_irq() nothing is reported.
/// </summary>
public sealed class IrqSafetyTests
{
    private static readonly LockClass L = new("&dev->lock", LockKind.Spinlock);

    [Fact]
    public void AClassTakenInAHardirq_AndElsewhereWithInterruptsOn_IsAnInconsistentLockState()
    {
        TestReport report = TinyMachine.Exhaust(r => Run(r, irq: false));

        Assert.Matches(
            @"^WARNING: inconsistent lock state: inconsistent \{(IN-HARDIRQ-W\} -> \{HARDIRQ-ON-W\} usage: user takes dev->lock \(&dev->lock\) with interrupts enabled on cpu1|HARDIRQ-ON-W\} -> \{IN-HARDIRQ-W\} usage: user takes dev->lock \(&dev->lock\) in hard interrupt context on cpu1)",
            report.Bug?.Message ?? string.Empty);
    }

    [Fact]
    public void TheSameClass_TakenWithInterruptsOff_IsConsistent()
    {
        TestReport report = TinyMachine.Exhaust(r => Run(r, irq: true));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    private static void Run(IActorRuntime r, bool irq)
    {
        var l = new KernelLock(L, "dev->lock");
        TinyMachine.Boot(r, new KernelConfig { Cpus = 2, MaxTicks = 1, ProveLocking = true }, k => Smp.Boot(k), new Caller(new TakesLock(l)), new User(l, irq));
    }

    /// <summary>The IPI's function: spin_lock(dev->lock) in the handler, on the interrupted task's behalf.</summary>
    private sealed class TakesLock(KernelLock l) : SmpCallFunc("dev_irq_func")
    {
        protected internal override IEnumerable<Stmt> Func(KernelState k, CpuState c)
        {
            yield return Stmt.Call(Locking.Lock(k, c.curr!, l));
            yield return Stmt.Call(Locking.Unlock(k, c.curr!, l));
        }
    }

    private sealed class Caller(TakesLock func) : TestTask("caller", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            yield return Stmt.Call(Smp.SmpCallFunctionSingle(k, this, 1, func, wait: true));
        }
    }

    /// <summary>spin_lock(dev->lock), or spin_lock_irq() with <paramref name="irq"/>, and the unlock.</summary>
    private sealed class User(KernelLock l, bool irq) : TestTask("user", 1)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            yield return Stmt.Call(Locking.Lock(k, this, l, irq));
            yield return "critical section";
            yield return Stmt.Call(Locking.Unlock(k, this, l, irq));
        }
    }
}
