using Verify.Kernel.Memory;
using Xunit;

namespace Kernel.Tests.Litmus;

/// <summary>
/// The ordering vocabulary beyond plain loads, stores and fences, each on a small program settled
/// by exhaustive search: atomics (fully ordered, relaxed, cmpxchg ordered only on success),
/// smp_mb__before_atomic(), rcu_dereference()'s address dependency, coherence, TSO's forwarding.
/// Most are store buffering (SB: 00 is the weak outcome) with the ordering under test in cpu0
/// and smp_mb() in cpu1.
/// </summary>
public class MemoryOrderingTests
{
    private const string Weak = "00";

    /// <summary>What cpu0 of <see cref="StoreBuffering"/> runs between its store and its load.</summary>
    public enum Between
    {
        Xchg,
        XchgRelaxed,
        AtomicCmpxchg,
        AtomicInc,
        SmpMbBeforeAtomicAtomicInc,
    }

    /// <summary>SB whose cpu0 runs <paramref name="between"/> between its store and its load; cpu1 uses smp_mb().</summary>
    private static SortedSet<string> StoreBuffering(MemoryMode mode, Between between, int zInitial = 0) =>
        Programs.Outcomes(mode, 2, zInitial, (b, cpu) => Cpu0(b, cpu, between), Cpu1);

    private static IEnumerable<string> Cpu0(Board b, int cpu, Between between)
    {
        b.Mem.WriteOnce(cpu, b.X, 1);
        yield return "WRITE_ONCE(x, 1)";
        switch (between)
        {
            case Between.Xchg:
                b.Mem.Xchg(cpu, b.Z, 1);
                yield return "xchg(&z, 1)";
                break;
            case Between.XchgRelaxed:
                b.Mem.XchgRelaxed(cpu, b.Z, 1);
                yield return "xchg_relaxed(&z, 1)";
                break;
            case Between.AtomicCmpxchg:
                b.Mem.AtomicCmpxchg(cpu, b.Z, 0, 1);
                yield return "atomic_cmpxchg(&z, 0, 1)";
                break;
            case Between.AtomicInc:
                b.Mem.AtomicInc(cpu, b.Z);
                yield return "atomic_inc(&z)";
                break;
            default:
                b.Mem.SmpMbBeforeAtomic(cpu);
                yield return "smp_mb__before_atomic()";
                b.Mem.AtomicInc(cpu, b.Z);
                yield return "atomic_inc(&z)";
                break;
        }

        b.R[0] = b.Mem.ReadOnce(cpu, b.Y);
        yield return "r0 = READ_ONCE(y)";
    }

    private static IEnumerable<string> Cpu1(Board b, int cpu)
    {
        b.Mem.WriteOnce(cpu, b.Y, 1);
        yield return "WRITE_ONCE(y, 1)";
        b.Mem.SmpMb(cpu);
        yield return "smp_mb()";
        b.R[1] = b.Mem.ReadOnce(cpu, b.X);
        yield return "r1 = READ_ONCE(x)";
    }

    [Theory]
    [InlineData(MemoryMode.Lkmm, Between.Xchg, false)]
    [InlineData(MemoryMode.Lkmm, Between.XchgRelaxed, true)]
    [InlineData(MemoryMode.Tso, Between.Xchg, false)]
    [InlineData(MemoryMode.Tso, Between.XchgRelaxed, false)]
    public void Xchg_IsFullyOrdered_XchgRelaxedIsNot_ExceptOnX86(MemoryMode mode, Between between, bool weak) =>
        Assert.Equal(weak, StoreBuffering(mode, between).Contains(Weak));

    [Theory]
    [InlineData(MemoryMode.Lkmm, 0, false)]
    [InlineData(MemoryMode.Lkmm, 5, true)]
    [InlineData(MemoryMode.Tso, 0, false)]
    [InlineData(MemoryMode.Tso, 5, false)]
    [InlineData(MemoryMode.Sc, 5, false)]
    public void AtomicCmpxchg_OrdersOnlyWhenItSucceeds_ButAFailedLockCmpxchgStillDrainsOnX86(MemoryMode mode, int zInitial, bool weak) =>
        Assert.Equal(weak, StoreBuffering(mode, Between.AtomicCmpxchg, zInitial).Contains(Weak)); // z = 0: it succeeds; 5: it fails

    [Theory]
    [InlineData(MemoryMode.Lkmm, Between.AtomicInc, true)]
    [InlineData(MemoryMode.Lkmm, Between.SmpMbBeforeAtomicAtomicInc, false)]
    [InlineData(MemoryMode.Tso, Between.AtomicInc, false)]
    public void AtomicInc_OrdersNothing_UntilSmpMbBeforeAtomicPrecedesIt(MemoryMode mode, Between between, bool weak) =>
        Assert.Equal(weak, StoreBuffering(mode, between).Contains(Weak));

    [Theory]
    [InlineData(MemoryMode.Lkmm, true, false)]
    [InlineData(MemoryMode.Lkmm, false, true)]
    [InlineData(MemoryMode.Tso, false, false)]
    public void RcuDereference_OrdersTheLoadThroughThePointer(MemoryMode mode, bool dependent, bool weak)
    {
        // MP with publication: x is the object's field, y the pointer. 10 is "saw the pointer, not the field's initialization".
        SortedSet<string> found = Programs.Outcomes(mode, 2, Publisher, (b, cpu) => Reader(b, cpu, dependent));
        Assert.Equal(weak, found.Contains("10"));
    }

    private static IEnumerable<string> Publisher(Board b, int cpu)
    {
        b.Mem.WriteOnce(cpu, b.X, 1);
        yield return "WRITE_ONCE(obj->field, 1)";
        b.Mem.RcuAssignPointer(cpu, b.Y, 1);
        yield return "rcu_assign_pointer(gp, obj)";
    }

    private static IEnumerable<string> Reader(Board b, int cpu, bool dependent)
    {
        b.R[0] = b.Mem.RcuDereference(cpu, b.Y, out Dependency dep);
        yield return "p = rcu_dereference(gp)";

        // Without the dependency: a load of the field that does not go through p (a cached address).
        b.R[1] = dependent ? b.Mem.ReadOnce(cpu, b.X, dep) : b.Mem.ReadOnce(cpu, b.X);
        yield return "r1 = READ_ONCE(p->field)";
    }

    [Theory]
    [InlineData(MemoryMode.Sc)]
    [InlineData(MemoryMode.Tso)]
    [InlineData(MemoryMode.Lkmm)]
    public void LoadsOfOneLocation_NeverSeeItsStoresOutOfOrder(MemoryMode mode)
    {
        SortedSet<string> found = Programs.Outcomes(mode, 2, TwoStores, TwoLoads);
        Assert.Equal(["00", "01", "02", "11", "12", "22"], found);
    }

    private static IEnumerable<string> TwoStores(Board b, int cpu)
    {
        b.Mem.WriteOnce(cpu, b.X, 1);
        yield return "WRITE_ONCE(x, 1)";
        b.Mem.WriteOnce(cpu, b.X, 2);
        yield return "WRITE_ONCE(x, 2)";
    }

    private static IEnumerable<string> TwoLoads(Board b, int cpu)
    {
        b.R[0] = b.Mem.ReadOnce(cpu, b.X);
        yield return "r0 = READ_ONCE(x)";
        b.R[1] = b.Mem.ReadOnce(cpu, b.X);
        yield return "r1 = READ_ONCE(x)";
    }

    [Fact]
    public void Tso_LoadSeesItsOwnBufferedStore_BeforeOtherCpusDo()
    {
        SortedSet<string> found = Programs.Outcomes(MemoryMode.Tso, 2, StoreThenLoad, ObserveX);
        Assert.Equal(["10", "11"], found);
    }

    private static IEnumerable<string> StoreThenLoad(Board b, int cpu)
    {
        b.Mem.WriteOnce(cpu, b.X, 1);
        yield return "WRITE_ONCE(x, 1)";
        b.R[0] = b.Mem.ReadOnce(cpu, b.X);
        yield return "r0 = READ_ONCE(x)";
    }

    private static IEnumerable<string> ObserveX(Board b, int cpu)
    {
        b.R[1] = b.Mem.ReadOnce(cpu, b.X);
        yield return "r1 = READ_ONCE(x)";
    }

    [Theory]
    [InlineData(MemoryMode.Sc)]
    [InlineData(MemoryMode.Tso)]
    [InlineData(MemoryMode.Lkmm)]
    public void AtomicTryCmpxchg_WritesTheValueFoundIntoOld_WhenItFails(MemoryMode mode)
    {
        // z starts at 3: the first try from 0 fails and learns 3, the second succeeds.
        SortedSet<string> found = Programs.Outcomes(mode, 4, 3, TryTwice);
        Assert.Equal(["0317"], found);
    }

    private static IEnumerable<string> TryTwice(Board b, int cpu)
    {
        int old = 0;
        b.R[0] = b.Mem.AtomicTryCmpxchg(cpu, b.Z, ref old, 7) ? 1 : 0;
        b.R[1] = old;
        yield return "atomic_try_cmpxchg(&z, &old, 7)";
        b.R[2] = b.Mem.AtomicTryCmpxchg(cpu, b.Z, ref old, 7) ? 1 : 0;
        yield return "atomic_try_cmpxchg(&z, &old, 7)";
        b.R[3] = b.Mem.AtomicRead(cpu, b.Z);
        yield return "atomic_read(&z)";
    }
}
