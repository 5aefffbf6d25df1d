using Kernel.Tests.Sync;
using Verify;
using Verify.Actors;
using Verify.Kernel.Lifetime;
using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sync;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Lifetime;

/// <summary>
/// The XArray as the vGIC uses it: a lookup with xa_load() under rcu_read_lock() racing with
/// __xa_erase() under xa_lock_irqsave() is safe when the eraser frees with kfree_rcu() and a
/// use-after-free with kfree(); reservations, stores, erasure and xa_for_each() behave as the
/// kernel's, allocation failures included; xa_lock is a spinlock_t, which PREEMPT_RT forbids under
/// a raw spinlock.
/// </summary>
public sealed class XArrayTests
{
    private const long Intid = 8192;

    [Fact]
    public void XaEraseRacingXaLoadUnderRcu_IsSafe_WithKfreeRcu()
    {
        TestReport report = TinyMachine.Exhaust(r => Race(r, rcuFree: true));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void XaEraseRacingXaLoadUnderRcu_IsAUseAfterFree_WithKfree()
    {
        TestReport report = TinyMachine.Exhaust(r => Race(r, rcuFree: false));

        Assert.Contains("BUG: KASAN: slab-use-after-free on test_obj#1->data: Read by task lookup on cpu0", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void XaEraseRacingXaLoadUnderRcu_FreesTheObjectWithinTheBound()
    {
        TestReport report = TinyMachine.Exhaust(r => Race(r, rcuFree: true, k => k.AddObserver(new FailOnRcuFree())));

        Assert.Contains("test_obj#1 was freed by rcu_do_batch()", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReserveStoreReleaseEraseAndForEach_BehaveAsTheKernels_AllocationFailuresIncluded()
    {
        TestReport report = TinyMachine.Exhaust(r => TinyMachine.Boot(r, new KernelConfig { Cpus = 1, MaxTicks = 1 }, null, new Sequential()));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void OnPreemptRt_XaStoreUnderARawSpinlock_IsAnInvalidWaitContext()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var xa = new XArray<Obj>("lpi_xa");
            var raw = new KernelLock(new LockClass("&dist->lpi_list_lock", LockKind.RawSpinlock), "lpi_list_lock");
            TinyMachine.Boot(r, new KernelConfig { Cpus = 1, MaxTicks = 1, PreemptRt = true }, k => Heap.Of(k).may_fail = false, new StoreUnderRaw(xa, raw));
        });

        Assert.Contains("BUG: Invalid wait context: store takes lpi_xa.xa_lock", report.Bug?.Message, StringComparison.Ordinal);
    }

    private static void Race(IActorRuntime r, bool rcuFree, Action<KernelState>? more = null)
    {
        var xa = new XArray<Obj>("lpi_xa");
        Lab.Boot(r, rcuFree ? 2 : 1, k =>
        {
            xa.Populate(Intid, Lab.Allocated(k));
            more?.Invoke(k);
        }, new Lookup(xa), new Eraser(xa, rcuFree));
    }

    /// <summary>vgic_get_lpi()'s shape: rcu_read_lock(); irq = xa_load(); use it; rcu_read_unlock().</summary>
    private sealed class Lookup(XArray<Obj> xa) : TestTask("lookup", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            yield return Stmt.Call(RcuReadSide.RcuReadLock(k, this));
            Obj? p = xa.XaLoad(Intid);
            yield return $"p = xa_load(&lpi_xa, {Intid})";
            if (p is not null)
            {
                int d = p.data;
                yield return $"d = p->data ({d})";
            }

            yield return Stmt.Call(RcuReadSide.RcuReadUnlock(k, this));
        }
    }

    /// <summary>vgic_release_lpi_locked()'s shape: xa_lock_irqsave(); __xa_erase(); xa_unlock_irqrestore(); kfree_rcu() or kfree().</summary>
    private sealed class Eraser(XArray<Obj> xa, bool rcuFree) : TestTask("eraser", 1)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            var flags = new IrqFlags();
            yield return Stmt.Call(xa.XaLockIrqsave(k, this, flags));
            Obj? old = xa.__XaErase(this, Intid);
            yield return $"__xa_erase(&lpi_xa, {Intid})";
            yield return Stmt.Call(xa.XaUnlockIrqrestore(k, this, flags));
            if (rcuFree)
            {
                Slab.KfreeRcu(k, this, old);
                yield return "kfree_rcu(irq, rcu)";
            }
            else
            {
                Slab.Kfree(k, this, old);
                yield return "kfree(irq)";
            }
        }
    }

    /// <summary>One CPU, every allocation outcome: the semantics vgic_add_lpi() and the cache invalidation rely on.</summary>
    private sealed class Sequential() : TestTask("its", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            var xa = new XArray<Obj>("lpi_xa");
            var ret = new XaRet<Obj>();

            // xa_reserve_irq() may fail; a reserved slot reads as NULL and needs no allocation to store into.
            yield return Stmt.Call(xa.XaReserve(k, this, 1, Gfp.GFP_KERNEL_ACCOUNT, ret, irq: true));
            bool reserved = ret.err == 0;
            Specification.Assert(ret.err is 0 or XArray<Obj>.ENOMEM && xa.XaLoad(1) is null, "A reserved slot must read as NULL.");
            Obj? a = Slab.Kzalloc<Obj>(k, this, Gfp.GFP_KERNEL_ACCOUNT);
            yield return "a = kzalloc()";
            if (a is null)
            {
                yield return Stmt.Call(xa.XaRelease(k, this, 1));
                Specification.Assert(xa.Count == 0 && xa.XaForEach().Count() == 0, "xa_release() must drop the reservation.");
                yield break;
            }

            yield return Stmt.Call(xa.XaStore(k, this, 1, a, Gfp.GFP_NOWAIT, ret));
            Specification.Assert(!reserved || ret.err == 0, "A store into a reserved slot cannot fail for want of memory.");
            if (ret.err != 0)
            {
                Slab.Kfree(k, this, a);
                yield return "kfree(a)";
                yield break;
            }

            // xa_release() leaves a stored entry alone; xa_for_each() sees exactly the entries.
            yield return Stmt.Call(xa.XaRelease(k, this, 1));
            Specification.Assert(xa.XaLoad(1) == a, "xa_release() must not drop a stored entry.");
            xa.Populate(3, Lab.Allocated(k));
            int seen = 0;
            foreach ((long index, Obj entry) in xa.XaForEach())
            {
                Specification.Assert(index is 1 or 3 && entry == xa.XaLoad(index), "xa_for_each() returned {0} at {1}.", entry, index);
                seen++;
                yield return $"xa_for_each: {index} -> {entry}";
            }

            Specification.Assert(seen == 2, "xa_for_each() saw {0} entries of 2.", seen);

            // xa_erase() returns the old entry and leaves nothing behind.
            yield return Stmt.Call(xa.XaErase(k, this, 1, ret));
            Specification.Assert(ret.entry == a && xa.XaLoad(1) is null && xa.Count == 1, "xa_erase() must return and remove the entry.");
            Slab.Kfree(k, this, a);
            yield return "kfree(a)";
        }
    }

    /// <summary>vgic_add_lpi() of v6.9: xa_store() while holding the raw lpi_list_lock.</summary>
    private sealed class StoreUnderRaw(XArray<Obj> xa, KernelLock raw) : TestTask("store", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            Obj p = Lab.Allocated(k);
            yield return Stmt.Call(Locking.Lock(k, this, raw));
            yield return Stmt.Call(xa.XaStore(k, this, Intid, p, Gfp.GFP_NOWAIT, new XaRet<Obj>()));
            yield return Stmt.Call(Locking.Unlock(k, this, raw));
        }
    }
}
