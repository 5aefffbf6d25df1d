using Kernel.Tests.Sync;
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
/// The debugging facilities' reports as observations (<see cref="KernelConfig.ObserveDebugReports"/>):
/// the run goes on and a monitor decides; without the switch the same report fails the run.
/// lockdep_sys_exit() reports a lock held at the return to user space; synchronize_rcu() on a
/// modelled CPU waits for a grace period that ends within the bound, and the free after it is safe.
/// </summary>
public sealed class ObservedReportTests
{
    [Fact]
    public void AUseAfterFree_IsObserved_AndTheRunGoesOn_WhenReportsAreObserved()
    {
        TestReport report = TinyMachine.Exhaust(r => UseAfterFree(r, observe: true));

        Assert.Contains("report seen: Kasan BUG: KASAN: slab-use-after-free on test_obj#1->data", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameUseAfterFree_FailsTheRun_WithoutTheSwitch()
    {
        TestReport report = TinyMachine.Exhaust(r => UseAfterFree(r, observe: false));

        Assert.StartsWith("BUG: KASAN: slab-use-after-free on test_obj#1->data", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALockHeldAtTheReturnToUserSpace_IsReported()
    {
        TestReport report = TinyMachine.Exhaust(r => TinyMachine.Boot(r, preemptRt: false, new LeavesLocked()));

        Assert.Contains("WARNING: lock held when returning to user space! leaver is leaving the kernel at ioctl with test_raw held.", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SynchronizeRcuOnAModelledCpu_ProtectsAPreExistingReader()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var gp = new Gp();
            Lab.Boot(r, 2, k => gp.p = Lab.Allocated(k), new Reader(gp), new SyncUpdater(gp));
        });

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void SynchronizeRcuOnAModelledCpu_Returns_WithinTheSameBound()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var gp = new Gp();
            Lab.Boot(r, 2, k =>
            {
                gp.p = Lab.Allocated(k);
                k.AddObserver(new FailOnFree());
            }, new Reader(gp), new SyncUpdater(gp));
        });

        Assert.Contains("test_obj#1 was freed after synchronize_rcu() returned", report.Bug?.Message, StringComparison.Ordinal);
    }

    private static void UseAfterFree(IActorRuntime r, bool observe)
    {
        var gp = new Gp();
        r.RegisterMonitor<ReportSeen>();
        TinyMachine.Boot(r, new KernelConfig { Cpus = 1, MaxTicks = 1, ObserveDebugReports = observe }, k =>
        {
            Heap.Of(k).may_fail = false;
            gp.p = Lab.Allocated(k);
            k.AddObserver(new ToReportSeen());
        }, new FreeThenRead(gp));
    }

    /// <summary>Fails the run when it sees a report, naming it: shows the report arrived as an observation.</summary>
    private sealed class ReportSeen : Monitor
    {
        [Start]
        [OnEventDoAction(typeof(DebugReport), nameof(OnReport))]
        private sealed class Watching : State
        {
        }

        private void OnReport(Event e)
        {
            var d = (DebugReport)e;
            Assert(false, "report seen: {0} {1}", d.Facility, d.Message);
        }
    }

    private sealed class ToReportSeen : IKernelObserver
    {
        public void Observe(Monitor.Event e)
        {
            if (e is DebugReport)
            {
                Specification.Monitor<ReportSeen>(e);
            }
        }
    }

    private sealed class FailOnFree : IKernelObserver
    {
        public void Observe(Monitor.Event e)
        {
            if (e is SlabFreed { ViaRcu: false } f)
            {
                Specification.Assert(false, "{0} was freed after synchronize_rcu() returned.", f.Object);
            }
        }
    }

    /// <summary>kfree(p); then p->data: a use-after-free.</summary>
    private sealed class FreeThenRead(Gp gp) : TestTask("freer", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            Obj p = gp.p!;
            Slab.Kfree(k, this, p);
            yield return "kfree(p)";
            int d = p.data;
            yield return $"d = p->data ({d})";
        }
    }

    /// <summary>raw_spin_lock(); the return to user space.</summary>
    private sealed class LeavesLocked() : TestTask("leaver", 0)
    {
        private readonly KernelLock l = new(new LockClass("test_raw", LockKind.RawSpinlock), "test_raw");

        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            yield return Stmt.Call(Locking.Lock(k, this, l));
            yield return Stmt.Call(LockdepSysExit.Check(k, this, "ioctl"));
        }
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

    /// <summary>p = gp; rcu_assign_pointer(gp, NULL); synchronize_rcu(); kfree(p), on a modelled CPU.</summary>
    private sealed class SyncUpdater(Gp gp) : TestTask("updater", 1)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            Obj? p = gp.p;
            gp.p = null;
            yield return "p = gp; rcu_assign_pointer(gp, NULL)";
            yield return Stmt.Call(SynchronizeRcuOnCpu.SynchronizeRcu(k, this));
            Slab.Kfree(k, this, p);
            yield return "kfree(p)";
        }
    }
}
