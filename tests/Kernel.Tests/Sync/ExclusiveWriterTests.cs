using Verify;
using Verify.Kernel.Machine;
using Verify.Kernel.Memory;
using Verify.Kernel.Rcu.Srcu;
using Verify.Kernel.Sched;
using Verify.Kernel.Sync;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Sync;

/// <summary>
/// A plain shared variable's read-modify-write is a load step and a store step: two CPUs that
/// update it under ASSERT_EXCLUSIVE_WRITER() without a lock make KCSAN report in some schedule,
/// and under a lock in none; lockdep_assert_held() fires exactly when the lock is not held.
/// SRCU's reader scan sees a reader that is inside its critical section on either CPU.
/// </summary>
public sealed class ExclusiveWriterTests
{
    [Fact]
    public void TwoUnlockedWriters_MakeKcsanReport()
    {
        TestReport report = TinyMachine.Exhaust(r => Writers(r, locked: false));

        Assert.Contains("BUG: KCSAN: assert: race in test_update", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LockedWriters_NeverMakeKcsanReport()
    {
        TestReport report = TinyMachine.Exhaust(r => Writers(r, locked: true));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void LockdepAssertHeld_FiresWithoutTheLock()
    {
        TestReport report = TinyMachine.Exhaust(r => Writers(r, locked: false, assertHeld: true));

        Assert.Contains("lockdep_assert_held(test_lock)", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LockdepAssertHeld_IsQuietUnderTheLock()
    {
        TestReport report = TinyMachine.Exhaust(r => Writers(r, locked: true, assertHeld: true));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void SrcuReaderScan_SeesAReaderInItsCriticalSection()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var ssp = new SrcuStruct(SharedMemory.Boot(r, MemoryMode.Sc, 2), "test_srcu", 2, workerCpu: 1);
            TinyMachine.Boot(r, false, new SrcuScanner(ssp), new SrcuReaderTask(ssp));
        });

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    private static void Writers(Verify.Actors.IActorRuntime r, bool locked, bool assertHeld = false)
    {
        var v = new PlainVar("test_var");
        var l = new KernelLock(new LockClass("test_lock", LockKind.Spinlock), "test_lock");
        KernelState k = TinyMachine.Boot(r, false, new Writer("a", 0, v, l, locked, assertHeld), new Writer("b", 1, v, l, locked, assertHeld));
        k.AddObserver(new KcsanAsBug());
    }

    /// <summary>ASSERT_EXCLUSIVE_WRITER(v); WRITE_ONCE(v, READ_ONCE(v) + 1), under the lock or not.</summary>
    private sealed class Writer(string comm, int cpu, PlainVar v, KernelLock l, bool locked, bool assertHeld) : TestTask(comm, cpu)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            if (locked)
            {
                yield return Stmt.Call(Locking.Lock(k, this, l));
            }

            if (assertHeld)
            {
                LockdepAssert.Held(this, l, "test_update");
            }

            ExclusiveWriter.Assert(v, this, "test_update");
            long x = v.Load(k, this, "test_update");
            yield return $"ASSERT_EXCLUSIVE_WRITER(test_var); READ_ONCE(test_var) = {x}";
            v.Store(k, this, x + 1, "test_update", rmw: true);
            yield return $"WRITE_ONCE(test_var, {x + 1})";
            if (locked)
            {
                yield return Stmt.Call(Locking.Unlock(k, this, l));
            }
        }
    }

    /// <summary>A reader on CPU 1: srcu_read_lock(), one statement inside, srcu_read_unlock().</summary>
    private sealed class SrcuReaderTask(SrcuStruct ssp) : TestTask("reader", 1)
    {
        internal bool inside { get => Access.Shared(field); set => field = Access.Shared(value); }

        internal bool done { get => Access.Shared(field); set => field = Access.Shared(value); }

        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            var r = new SrcuReader();
            yield return Stmt.Call(SrcuReadSide.SrcuReadLock(k, this, ssp, r));
            inside = true;
            yield return "inside";
            inside = false;
            yield return Stmt.Call(SrcuReadSide.SrcuReadUnlock(k, this, ssp, r));
        }
    }

    /// <summary>Scans rank 0 on CPU 0; a reader the scan counted before it began cannot be missed while it is inside.</summary>
    private sealed class SrcuScanner(SrcuStruct ssp) : TestTask("scanner", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            long lockedBefore = Inside(ssp);
            yield return "look";
            var result = new SrcuScanResult();
            yield return Stmt.Call(SrcuReadSide.SrcuReadersActiveIdxCheck(ssp, cpu, 0, result));
            long stillLocked = Inside(ssp);

            // A reader inside since before the scan and still inside after it is seen.
            Specification.Assert(!(lockedBefore > 0 && stillLocked > 0 && result.zero), "The scan missed a reader that was inside throughout.");
            yield return "checked";
        }

        private static int Inside(SrcuStruct ssp) => ssp.mem.ValueOf(ssp.sda[1].srcu_lock_count[0]) - ssp.mem.ValueOf(ssp.sda[1].srcu_unlock_count[0]);
    }

    private sealed class KcsanAsBug : IKernelObserver
    {
        public void Observe(Monitor.Event e)
        {
            if (e is KcsanReport report)
            {
                Specification.Assert(false, "{0}", report.Message);
            }
        }
    }
}
