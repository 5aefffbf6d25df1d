using Kernel.Tests.Substrate;
using Verify.Kernel.Lifetime;
using Verify.Kernel.Machine;
using Verify.Kernel.Sync;
using Xunit;

namespace Kernel.Tests.Sync;

/// <summary>
/// spin_lock_irqsave()/spin_unlock_irqrestore() are named as the kernel's calls, and restore the
/// interrupt state they saved: a nested pair leaves interrupts off, the outer pair turns them on.
/// </summary>
public sealed class IrqsaveTests
{
    [Fact]
    public void NestedIrqsaveSections_AreNamedAsTheKernelsCalls_AndRestoreTheSavedState()
    {
        var k = new KernelState(new KernelConfig { Cpus = 1 }, null!);
        var t = new Idler();
        var outer = new KernelLock(new LockClass("&vgic_cpu->ap_list_lock", LockKind.RawSpinlock), "ap_list_lock");
        var inner = new KernelLock(new LockClass("&irq->irq_lock", LockKind.RawSpinlock), "irq_lock");
        var f1 = new IrqFlags();
        var f2 = new IrqFlags();
        CpuState c = k.cpus[0];

        Assert.Equal(["raw_spin_lock_irqsave(ap_list_lock)"], StatementTexts.Of(IrqFlags.SpinLockIrqsave(k, t, outer, f1)));
        Assert.True(c.irqs_disabled);
        Assert.Equal(["raw_spin_lock_irqsave(irq_lock)"], StatementTexts.Of(IrqFlags.SpinLockIrqsave(k, t, inner, f2)));
        Assert.Equal(["raw_spin_unlock_irqrestore(irq_lock): preempt_enable()"], StatementTexts.Of(IrqFlags.SpinUnlockIrqrestore(k, t, inner, f2)));
        Assert.True(c.irqs_disabled);
        Assert.Equal(["raw_spin_unlock_irqrestore(ap_list_lock): preempt_enable()"], StatementTexts.Of(IrqFlags.SpinUnlockIrqrestore(k, t, outer, f1)));
        Assert.False(c.irqs_disabled);
    }

    private sealed class Idler() : TestTask("vcpu0", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            yield break;
        }
    }
}
