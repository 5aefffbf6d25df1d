using Verify.Kernel.Memory;
using Xunit;

namespace Kernel.Tests.Litmus;

/// <summary>
/// Two CPUs increment a counter (z) under a lock (x), one access per statement. With
/// spin_trylock()/spin_unlock() (acquire and release) no increment is lost in any mode; with a lock
/// built from atomic_cmpxchg_relaxed() and WRITE_ONCE() the LKMM mode lets the second holder read the counter
/// from before the first holder's increment, as the LKMM does, while x86 (every cmpxchg locked) does not.
/// </summary>
public class LockTests
{
    public enum Lock
    {
        SpinLock,
        RelaxedCmpxchg,
    }

    private static IEnumerable<string> Increment(Board b, int cpu, Lock kind)
    {
        while (!(kind == Lock.SpinLock ? b.Mem.SpinTryLock(cpu, b.X) : b.Mem.AtomicCmpxchgRelaxed(cpu, b.X, 0, 1) == 0))
        {
            yield return "spin_lock(&lock): spinning";
        }

        yield return "spin_lock(&lock)";
        b.R[cpu] = b.Mem.ReadOnce(cpu, b.Z);
        yield return "r = READ_ONCE(counter)";
        b.Mem.WriteOnce(cpu, b.Z, b.R[cpu] + 1);
        yield return "WRITE_ONCE(counter, r + 1)";
        if (kind == Lock.SpinLock)
        {
            b.Mem.SpinUnlock(cpu, b.X);
        }
        else
        {
            b.Mem.WriteOnce(cpu, b.X, 0);
        }

        yield return "spin_unlock(&lock)";
    }

    [Theory]
    [InlineData(MemoryMode.Sc, Lock.SpinLock, false)]
    [InlineData(MemoryMode.Tso, Lock.SpinLock, false)]
    [InlineData(MemoryMode.Lkmm, Lock.SpinLock, false)]
    [InlineData(MemoryMode.Tso, Lock.RelaxedCmpxchg, false)]
    [InlineData(MemoryMode.Lkmm, Lock.RelaxedCmpxchg, true)]
    public void LockedIncrements_LoseAnUpdate_OnlyWithoutAcquireAndRelease(MemoryMode mode, Lock kind, bool lost)
    {
        // Outcome: what each CPU read, then the counter's final value.
        SortedSet<string> found = Programs.Outcomes(mode, 2, 0, finalZ: true, (b, cpu) => Increment(b, cpu, kind), (b, cpu) => Increment(b, cpu, kind));
        Assert.Contains("012", found);
        Assert.Contains("102", found);
        Assert.Equal(lost, found.Contains("001"));
        Assert.All(found, o => Assert.True(o is "012" or "102" or "001", $"unexpected outcome {o}"));
    }
}
