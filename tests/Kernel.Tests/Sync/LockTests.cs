using Verify;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Kernel.Sync;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Sync;

/// <summary>
/// Each lock kind excludes: two CPUs incrementing a counter in two steps lose no update under the
/// lock, in every schedule; without it, some schedule loses one. Contended spinning parks the CPU
/// and contended sleeping locks put the task to sleep, so the searches stay small.
/// </summary>
public sealed class LockTests
{
    [Theory]
    [InlineData(LockKind.RawSpinlock, false)]
    [InlineData(LockKind.Spinlock, false)]
    [InlineData(LockKind.Spinlock, true)]
    [InlineData(LockKind.Mutex, false)]
    [InlineData(LockKind.Mutex, true)]
    public void Lock_Excludes_SoNoIncrementIsLost(LockKind kind, bool preemptRt)
    {
        TestReport report = TinyMachine.Exhaust(r => Increments(r, kind, preemptRt, locked: true));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void WithoutTheLock_SomeScheduleLosesAnIncrement()
    {
        TestReport report = TinyMachine.Exhaust(r => Increments(r, LockKind.Spinlock, preemptRt: false, locked: false));

        Assert.Contains("lost an increment", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnPreemptRt_TakingASpinlockUnderARawSpinlock_IsAnInvalidWaitContext()
    {
        TestReport report = TinyMachine.Exhaust(r => Nested(r, preemptRt: true));

        Assert.Contains("BUG: Invalid wait context", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutPreemptRt_TheSameNesting_IsFine()
    {
        TestReport report = TinyMachine.Exhaust(r => Nested(r, preemptRt: false));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void ReleasingALockNotHeld_IsABadUnlockBalance()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var l = new KernelLock(new LockClass("test_lock", LockKind.Spinlock), "test_lock");
            TinyMachine.Boot(r, false, new Unbalanced(l));
        });

        Assert.Contains("bad unlock balance", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trylock_FailsWhileHeld_AndTakesTheLockWhenFree()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var l = new KernelLock(new LockClass("test_lock", LockKind.Spinlock), "test_lock");
            var counter = new Counter();
            TinyMachine.Boot(r, false, new TryIncrementer("a", 0, l, counter), new TryIncrementer("b", 1, l, counter));
        });

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    private static void Increments(Verify.Actors.IActorRuntime r, LockKind kind, bool preemptRt, bool locked)
    {
        var l = new KernelLock(new LockClass("test_lock", kind), "test_lock");
        var counter = new Counter();
        var a = new Incrementer("a", 0, l, counter, locked);
        var b = new Incrementer("b", 1, l, counter, locked);
        TinyMachine.Boot(r, preemptRt, a, b);
    }

    private static void Nested(Verify.Actors.IActorRuntime r, bool preemptRt)
    {
        var raw = new KernelLock(new LockClass("&rq->__lock", LockKind.RawSpinlock), "rq->__lock");
        var sleeping = new KernelLock(new LockClass("&xa->xa_lock", LockKind.Spinlock), "xa_lock");
        TinyMachine.Boot(r, preemptRt, new NestedLocker(raw, sleeping));
    }

    /// <summary>counter++ under the lock (or not), as a load and a store; the second finisher checks the total.</summary>
    private sealed class Incrementer(string comm, int cpu, KernelLock l, Counter counter, bool locked) : TestTask(comm, cpu)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            if (locked)
            {
                yield return Stmt.Call(Locking.Lock(k, this, l));
            }

            int v = counter.value;
            yield return $"tmp = counter ({v})";
            counter.value = v + 1;
            yield return $"counter = tmp + 1 ({v + 1})";
            if (locked)
            {
                yield return Stmt.Call(Locking.Unlock(k, this, l));
            }

            // The second task to finish sees both increments, unless one was lost.
            counter.finished++;
            Specification.Assert(counter.finished < 2 || counter.value == 2, "The counter lost an increment: {0} after two.", counter.value);
            yield return "done";
        }
    }

    private sealed class NestedLocker(KernelLock raw, KernelLock sleeping) : TestTask("nester", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            yield return Stmt.Call(Locking.Lock(k, this, raw));
            yield return Stmt.Call(Locking.Lock(k, this, sleeping));
            yield return Stmt.Call(Locking.Unlock(k, this, sleeping));
            yield return Stmt.Call(Locking.Unlock(k, this, raw));
        }
    }

    private sealed class Unbalanced(KernelLock l) : TestTask("unbalanced", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            yield return Stmt.Call(Locking.Unlock(k, this, l));
        }
    }

    /// <summary>spin_trylock(); on success increments under the lock and checks nobody else is inside.</summary>
    private sealed class TryIncrementer(string comm, int cpu, KernelLock l, Counter inside) : TestTask(comm, cpu)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            yield return Stmt.Call(Locking.Trylock(k, this, l));
            if (!l.IsHeldBy(this))
            {
                yield break;
            }

            inside.value++;
            Specification.Assert(inside.value == 1, "Two CPUs inside the trylock's critical section.");
            yield return "inside++";
            inside.value--;
            yield return "inside--";
            yield return Stmt.Call(Locking.Unlock(k, this, l));
        }
    }
}
