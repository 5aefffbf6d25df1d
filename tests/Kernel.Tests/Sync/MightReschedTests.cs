using Verify;
using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sched;
using Verify.Kernel.Sync;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Sync;

/// <summary>
/// rtlock_might_resched(): on PREEMPT_RT a spinlock_t taken with interrupts or preemption off is
/// "sleeping function called from invalid context"; an RCU read-side section does not count, and
/// without PREEMPT_RT the spinlock spins and nothing is reported.
/// </summary>
public sealed class MightReschedTests
{
    public enum Context
    {
        IrqsOff,
        PreemptOff,
        RcuReader,
    }

    [Theory]
    [InlineData(Context.IrqsOff, "irqs_disabled=1")]
    [InlineData(Context.PreemptOff, "preempt_count=1")]
    public void OnPreemptRt_ASpinlockInAtomicContext_IsReported(Context context, string detail)
    {
        TestReport report = TinyMachine.Exhaust(r => Boot(r, preemptRt: true, context));

        Assert.Contains("BUG: sleeping function called from invalid context at ", report.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("at spin_lock: locker on cpu0", report.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains(detail, report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnPreemptRt_ASpinlockInsideAnRcuReader_IsFine()
    {
        TestReport report = TinyMachine.Exhaust(r => Boot(r, preemptRt: true, Context.RcuReader));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Theory]
    [InlineData(Context.IrqsOff)]
    [InlineData(Context.PreemptOff)]
    public void WithoutPreemptRt_TheSameSpinlock_IsFine(Context context)
    {
        TestReport report = TinyMachine.Exhaust(r => Boot(r, preemptRt: false, context));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    private static void Boot(Verify.Actors.IActorRuntime r, bool preemptRt, Context context)
    {
        var l = new KernelLock(new LockClass("&xa->xa_lock", LockKind.Spinlock), "xa_lock");
        TinyMachine.Boot(r, preemptRt, new Locker(l, context));
    }

    private sealed class Locker(KernelLock l, Context context) : TestTask("locker", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            CpuState c = k.cpus[cpu];
            switch (context)
            {
                case Context.IrqsOff:
                    c.irqs_disabled = true;
                    yield return "local_irq_disable()";
                    break;
                case Context.PreemptOff:
                    c.preempt_count++;
                    yield return "preempt_disable()";
                    break;
                case Context.RcuReader:
                    yield return Stmt.Call(RcuReadSide.RcuReadLock(k, this));
                    break;
            }

            yield return Stmt.Call(Locking.Lock(k, this, l));
            yield return Stmt.Call(Locking.Unlock(k, this, l));
            switch (context)
            {
                case Context.IrqsOff:
                    c.irqs_disabled = false;
                    yield return "local_irq_enable()";
                    break;
                case Context.PreemptOff:
                    yield return Stmt.Call(Scheduler.PreemptEnable(k, this, "test"));
                    break;
                case Context.RcuReader:
                    yield return Stmt.Call(RcuReadSide.RcuReadUnlock(k, this));
                    break;
            }
        }
    }
}
