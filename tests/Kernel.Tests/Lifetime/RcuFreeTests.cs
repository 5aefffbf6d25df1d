using Kernel.Tests.Sync;
using Verify;
using Verify.Actors;
using Verify.Kernel.Lifetime;
using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Tree;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Lifetime;

/// <summary>
/// The classic RCU litmus test, every schedule of two CPUs over two jiffies: cpu0 reads gp->data
/// inside rcu_read_lock(); cpu1 unpublishes gp and frees the object. kfree() lets the reader touch
/// freed memory (KASAN's slab-use-after-free); kfree_rcu() waits for the reader's grace period, and
/// within the same bound the grace period does complete and free the object, so the clean verdict
/// is not for want of time. Double frees and NULL dereferences are found as the kernel reports them.
/// </summary>
public sealed class RcuFreeTests
{
    [Fact]
    public void Kfree_WhileAnotherCpusReaderMayHoldTheObject_IsASlabUseAfterFree()
    {
        TestReport report = TinyMachine.Exhaust(r => Publish(r, rcuFree: false));

        Assert.Contains("BUG: KASAN: slab-use-after-free on test_obj#1->data: Read by task reader on cpu0", report.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("Freed by task updater on cpu1", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KfreeRcu_UnderRcuReadLock_NeverFreesWhatAPreExistingReaderHolds()
    {
        TestReport report = TinyMachine.Exhaust(r => Publish(r, rcuFree: true));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void KfreeRcu_FreesTheObject_AfterAGracePeriod_WithinTheSameBound()
    {
        TestReport report = TinyMachine.Exhaust(r => Publish(r, rcuFree: true, k => k.AddObserver(new FailOnRcuFree())));

        Assert.Contains("test_obj#1 was freed by rcu_do_batch()", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoCpusUnpublishingWithALoadAndAStore_FreeTwice()
    {
        TestReport report = TinyMachine.Exhaust(r => Unpublishers(r, xchg: false));

        Assert.Contains("BUG: KASAN: double-free in kfree: test_obj#1", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoCpusUnpublishingWithXchg_FreeOnce()
    {
        TestReport report = TinyMachine.Exhaust(r => Unpublishers(r, xchg: true));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void KfreeOfAnObjectQueuedByKfreeRcu_IsADoubleFreeWhenTheGracePeriodEnds()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var gp = new Gp();
            Lab.Boot(r, 2, k => gp.p = Lab.Allocated(k), new Freer(gp, both: true));
        });

        Assert.Contains("BUG: KASAN: double-free in rcu_do_batch (kvfree_rcu): test_obj#1", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUncheckedKzalloc_IsANullPointerDereference_WhenTheAllocationFails()
    {
        TestReport report = TinyMachine.Exhaust(r => TinyMachine.Boot(r, new KernelConfig { Cpus = 1, MaxTicks = 1 }, null, new Allocator(check: false)));

        Assert.Contains("BUG: kernel NULL pointer dereference: p->data", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACheckedKzalloc_IsFine_InBothOutcomes()
    {
        TestReport report = TinyMachine.Exhaust(r => TinyMachine.Boot(r, new KernelConfig { Cpus = 1, MaxTicks = 1 }, null, new Allocator(check: true)));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    private static void Publish(IActorRuntime r, bool rcuFree, Action<KernelState>? more = null)
    {
        var gp = new Gp();
        Lab.Boot(r, 2, k =>
        {
            gp.p = Lab.Allocated(k);
            more?.Invoke(k);
        }, new Reader(gp), new Updater(gp, rcuFree));
    }

    private static void Unpublishers(IActorRuntime r, bool xchg)
    {
        var gp = new Gp();
        Lab.Boot(r, 1, k => gp.p = Lab.Allocated(k), new Unpublisher("a", 0, gp, xchg), new Unpublisher("b", 1, gp, xchg));
    }

    /// <summary>rcu_read_lock(); p = rcu_dereference(gp); if (p) read p->data; rcu_read_unlock().</summary>
    private sealed class Reader(Gp gp) : TestTask("reader", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            yield return Stmt.Call(RcuReadSide.RcuReadLock(k, this));
            Obj? p = gp.p;
            yield return "p = rcu_dereference(gp)";
            if (p is not null)
            {
                int d = p.data;
                yield return $"d = p->data ({d})";
            }

            yield return Stmt.Call(RcuReadSide.RcuReadUnlock(k, this));
        }
    }

    /// <summary>p = gp; rcu_assign_pointer(gp, NULL); kfree(p) or kfree_rcu(p, rcu).</summary>
    private sealed class Updater(Gp gp, bool rcuFree) : TestTask("updater", 1)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            Obj? p = gp.p;
            gp.p = null;
            yield return "p = gp; rcu_assign_pointer(gp, NULL)";
            if (rcuFree)
            {
                Slab.KfreeRcu(k, this, p);
                yield return "kfree_rcu(p, rcu)";
            }
            else
            {
                Slab.Kfree(k, this, p);
                yield return "kfree(p)";
            }
        }
    }

    /// <summary>p = gp; if (p) { gp = NULL; kfree(p); } with the load and the store as two steps, or one xchg().</summary>
    private sealed class Unpublisher(string comm, int cpu, Gp gp, bool xchg) : TestTask(comm, cpu)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            Obj? p = gp.p;
            if (xchg)
            {
                gp.p = null;
                yield return "p = xchg(&gp, NULL)";
            }
            else
            {
                yield return "p = READ_ONCE(gp)";
                if (p is null)
                {
                    yield break;
                }

                gp.p = null;
                yield return "WRITE_ONCE(gp, NULL)";
            }

            Slab.Kfree(k, this, p);
            yield return "kfree(p)";
        }
    }

    /// <summary>kfree_rcu(p) and then kfree(p): the second free is legal now and the grace period frees it again.</summary>
    private sealed class Freer(Gp gp, bool both) : TestTask("freer", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            Obj? p = gp.p;
            gp.p = null;
            Slab.KfreeRcu(k, this, p);
            yield return "kfree_rcu(p, rcu)";
            if (both)
            {
                Slab.Kfree(k, this, p);
                yield return "kfree(p)";
            }
        }
    }

    /// <summary>p = kzalloc(GFP_KERNEL); [if (!p) return -ENOMEM;] p->data = 1; kfree(p).</summary>
    private sealed class Allocator(bool check) : TestTask("allocator", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            Obj? p = Slab.Kzalloc<Obj>(k, this, Gfp.GFP_KERNEL);
            yield return $"p = kzalloc(sizeof(*p), GFP_KERNEL) = {p?.name ?? "NULL"}";
            if (check && p is null)
            {
                yield break;
            }

            Kasan.Deref(k, p, "p->data").data = 1;
            yield return "p->data = 1";
            Slab.Kfree(k, this, p);
            yield return "kfree(p)";
        }
    }
}
