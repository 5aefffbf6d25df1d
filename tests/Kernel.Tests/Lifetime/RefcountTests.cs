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
/// Reference counts in every schedule of two CPUs: a lookup under RCU that takes its reference with
/// kref_get_unless_zero() never revives an object whose last reference is gone, while kref_get()
/// there is refcount_t's "addition on 0"; a put too many is its "underflow";
/// refcount_dec_and_lock_irqsave() takes the lock only for the last reference; and an object whose
/// count reaches zero without a free is a leak at the end of the run.
/// </summary>
public sealed class RefcountTests
{
    [Fact]
    public void KrefGetUnlessZero_NeverResurrectsAnObjectWhoseLastReferenceIsGone()
    {
        TestReport report = TinyMachine.Exhaust(r => Lookup(r, unlessZero: true));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void KrefGet_AfterTheLastPut_IsAnAdditionOnZero()
    {
        TestReport report = TinyMachine.Exhaust(r => Lookup(r, unlessZero: false));

        Assert.Contains("WARNING: at lib/refcount.c refcount_warn_saturate: refcount_t: addition on 0; use-after-free. (test_obj#1->refcount", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APutTooMany_IsARefcountUnderflow()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var gp = new Gp();
            Lab.Boot(r, 1, k => gp.p = Lab.Allocated(k), new Putter("a", 0, gp), new Putter("b", 1, gp));
        });

        Assert.Contains("refcount_t: underflow; use-after-free. (test_obj#1->refcount", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefcountDecAndLockIrqsave_TakesTheLockOnlyForTheLastReference()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var gp = new Gp();
            var l = new KernelLock(new LockClass("&xa->xa_lock", LockKind.Spinlock), "lpi_xa.xa_lock");
            var released = new Counter();
            Lab.Boot(r, 1, k =>
            {
                gp.p = Lab.Allocated(k);
                gp.p.refcount.Get(k);
                Lab.CheckLeaks(r, k);
            }, new LockedPutter("a", 0, gp, l, released), new LockedPutter("b", 1, gp, l, released));
        });

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void AnObjectWhoseCountReachesZeroUnfreed_IsALeakAtTheEndOfTheRun()
    {
        TestReport report = TinyMachine.Exhaust(r => LastPut(r, KrefRelease.Noop));

        Assert.Contains("Monitor KmemLeak detected a liveness bug: in hot state ZeroCountObjectNotFreed at the end of the run", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnObjectFreedByItsRelease_IsNoLeak()
    {
        TestReport report = TinyMachine.Exhaust(r => LastPut(r, KrefRelease.Kfree));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    private static void Lookup(IActorRuntime r, bool unlessZero)
    {
        var gp = new Gp();
        Lab.Boot(r, 1, k => gp.p = Lab.Allocated(k), new GetReader(gp, unlessZero), new Owner(gp));
    }

    private static void LastPut(IActorRuntime r, IKrefRelease release)
    {
        var gp = new Gp();
        Lab.Boot(r, 1, k =>
        {
            gp.p = Lab.Allocated(k);
            Lab.CheckLeaks(r, k);
        }, new Releaser(gp, release));
    }

    /// <summary>
    /// rcu_read_lock(); p = rcu_dereference(gp); take a reference (kref_get_unless_zero() or
    /// kref_get()); rcu_read_unlock(); use p under the reference; kref_put(p, kfree_rcu).
    /// </summary>
    private sealed class GetReader(Gp gp, bool unlessZero) : TestTask("reader", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            yield return Stmt.Call(RcuReadSide.RcuReadLock(k, this));
            Obj? p = gp.p;
            yield return "p = rcu_dereference(gp)";
            bool got = false;
            if (p is not null)
            {
                if (unlessZero)
                {
                    got = p.refcount.GetUnlessZero(k);
                    yield return $"kref_get_unless_zero(&p->refcount) = {(got ? 1 : 0)}";
                }
                else
                {
                    p.refcount.Get(k);
                    got = true;
                    yield return "kref_get(&p->refcount)";
                }
            }

            yield return Stmt.Call(RcuReadSide.RcuReadUnlock(k, this));
            if (!got)
            {
                yield break;
            }

            // The reference keeps the object alive: it is neither freed nor on its way out.
            Specification.Assert(p!.slab_state == SlabState.Allocated, "{0} was revived: its reference was taken after its last put ({1}).", p.name, p.slab_state);
            p.data++;
            yield return "p->data++";
            p.refcount.Put(k, this, KrefRelease.KfreeRcu);
            yield return "kref_put(&p->refcount, release)";
        }
    }

    /// <summary>The owner of gp's reference: unpublish (xchg) and kref_put(p, kfree_rcu).</summary>
    private sealed class Owner(Gp gp) : TestTask("owner", 1)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            Obj p = gp.p!;
            gp.p = null;
            yield return "p = xchg(&gp, NULL)";
            p.refcount.Put(k, this, KrefRelease.KfreeRcu);
            yield return "kref_put(&p->refcount, release)";
        }
    }

    /// <summary>Each of two CPUs believes it holds gp's one reference: refcount_dec_and_test() (the release frees nothing, to let the count speak).</summary>
    private sealed class Putter(string comm, int cpu, Gp gp) : TestTask(comm, cpu)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            bool last = gp.p!.refcount.refcount.DecAndTest(k);
            yield return $"refcount_dec_and_test(&p->refcount) = {(last ? 1 : 0)}";
        }
    }

    /// <summary>
    /// vgic_put_irq() of v7.2: if (refcount_dec_and_lock_irqsave(&amp;p->refcount, &amp;xa_lock, &amp;flags))
    /// { kfree(p); unlock } — the caller holding the lock exactly when its drop was the last.
    /// </summary>
    private sealed class LockedPutter(string comm, int cpu, Gp gp, KernelLock l, Counter released) : TestTask(comm, cpu)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            Obj p = gp.p!;
            var flags = new IrqFlags();
            yield return Stmt.Call(p.refcount.refcount.DecAndLockIrqsave(k, this, l, flags));
            if (l.IsHeldBy(this))
            {
                Specification.Assert(p.refcount.Read() == 0 && released.value == 0, "{0} holds the lock but its drop was not the last.", comm);
                released.value++;
                Slab.Kfree(k, this, p);
                yield return "kfree(p)";
                yield return Stmt.Call(IrqFlags.SpinUnlockIrqrestore(k, this, l, flags));
            }
            else
            {
                Specification.Assert(!k.cpus[cpu].irqs_disabled, "{0} returned from refcount_dec_and_lock_irqsave() without the lock but with interrupts off.", comm);
            }

            // The second to finish sees exactly one release.
            released.finished++;
            Specification.Assert(released.finished < 2 || released.value == 1, "{0} releases after two puts of two references.", released.value);
            yield return "done";
        }
    }

    /// <summary>kref_put(&amp;p->refcount, release) of the last reference.</summary>
    private sealed class Releaser(Gp gp, IKrefRelease release) : TestTask("releaser", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            Obj p = gp.p!;
            gp.p = null;
            p.refcount.Put(k, this, release);
            yield return "kref_put(&p->refcount, release)";
        }
    }
}
