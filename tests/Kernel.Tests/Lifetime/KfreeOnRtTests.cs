using Kernel.Tests.Sync;
using Verify.Kernel.Lifetime;
using Verify.Kernel.Machine;
using Verify.Kernel.Sync;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Lifetime;

/// <summary>
/// kfree() on PREEMPT_RT takes a sleeping lock on some of SLUB's paths (the per-CPU slab's
/// local_lock on the fast path, n->list_lock on the list-moving slow path), so under a raw spinlock
/// the search finds lockdep's invalid wait context; with the raw lock dropped first, or without
/// PREEMPT_RT, there is nothing to find.
/// </summary>
public sealed class KfreeOnRtTests
{
    private static readonly LockClass Raw = new("&dist->lpi_list_lock", LockKind.RawSpinlock);

    [Fact]
    public void KfreeUnderARawSpinlock_OnPreemptRt_IsAnInvalidWaitContext()
    {
        TestReport report = TinyMachine.Exhaust(r => Run(r, preemptRt: true, underLock: true));

        Assert.Matches(@"^BUG: Invalid wait context: putter takes (s->cpu_slab->lock|n->list_lock) \(.*, a sleeping lock here\) while holding lpi_list_lock \(raw_spinlock_t\)\.$", report.Bug?.Message ?? string.Empty);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void KfreeAfterTheUnlock_OrWithoutPreemptRt_IsClean(bool preemptRt, bool underLock)
    {
        TestReport report = TinyMachine.Exhaust(r => Run(r, preemptRt, underLock));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    private static void Run(Verify.Actors.IActorRuntime r, bool preemptRt, bool underLock)
    {
        var gp = new Gp();
        var l = new KernelLock(Raw, "lpi_list_lock");
        TinyMachine.Boot(r, new KernelConfig { Cpus = 1, MaxTicks = 1, PreemptRt = preemptRt }, k =>
        {
            Heap.Of(k).may_fail = false;
            gp.p = Lab.Allocated(k);
        }, new Putter(gp, l, underLock));
    }

    /// <summary>v6.7's vgic_put_irq() at zero: kfree() inside the raw section, or after it.</summary>
    private sealed class Putter(Gp gp, KernelLock l, bool underLock) : TestTask("putter", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            var flags = new IrqFlags();
            yield return Stmt.Call(IrqFlags.SpinLockIrqsave(k, this, l, flags));
            if (underLock)
            {
                Slab.Kfree(k, this, gp.p);
                yield return "kfree(irq)";
            }

            yield return Stmt.Call(IrqFlags.SpinUnlockIrqrestore(k, this, l, flags));
            if (!underLock)
            {
                Slab.Kfree(k, this, gp.p);
                yield return "kfree(irq)";
            }
        }
    }
}
