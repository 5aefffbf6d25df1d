using Verify.Kernel.Memory;
using Xunit;

namespace Kernel.Tests.Litmus;

/// <summary>
/// Context tracking's deferral ordering (the IPI-deferral series' P-CT-S2), reduced to one patch and one
/// kernel entry. Housekeeping patches text, then defers the sync to the isolated CPU by setting a
/// work bit in its ct->state with atomic_try_cmpxchg() while the CPU is not RCU-watching (else it
/// would send an IPI). The isolated CPU enters the kernel with atomic_add_return(), flushes if the
/// work bit came back, then runs the text. The guarantee: deferred means the CPU runs patched
/// text. It holds because the setter's successful cmpxchg is fully ordered (text before work bit)
/// and the CPU reads the bit with an ordered atomic or, having seen it, runs sync_core(), which
/// the LKMM mode takes as a full barrier. With a relaxed setter the LKMM mode finds stale text,
/// while x86 (every atomic locked) and SC do not.
/// </summary>
public class ContextTrackingOrderingTests
{
    private const int RcuWatching = 1;
    private const int WorkSync = 2;

    // Outcome digits: r0 = 1 if housekeeping deferred (2 if it had to send an IPI), r1 = 1 if the
    // isolated CPU flushed, r2 = the text it ran (0 stale, 1 patched).
    private static IEnumerable<string> Housekeeping(Board b, int cpu, bool relaxed)
    {
        b.Mem.WriteOnce(cpu, b.X, 1);
        yield return "text_poke(addr, new)";
        int old = b.Mem.AtomicRead(cpu, b.Z);
        yield return "old = atomic_read(&ct->state)";
        while (true)
        {
            if ((old & RcuWatching) != 0)
            {
                b.R[0] = 2;
                yield return "ct_set_cpu_work() fails: on_each_cpu_cond() sends the IPI";
                yield break;
            }

            bool set;
            if (relaxed)
            {
                int found = b.Mem.AtomicCmpxchgRelaxed(cpu, b.Z, old, old | WorkSync);
                set = found == old;
                old = found;
            }
            else
            {
                set = b.Mem.AtomicTryCmpxchg(cpu, b.Z, ref old, old | WorkSync);
            }

            if (set)
            {
                b.R[0] = 1;
                yield return "atomic_try_cmpxchg(&ct->state, &old, old | CT_WORK_SYNC) succeeds: deferred";
                yield break;
            }

            yield return "atomic_try_cmpxchg(&ct->state, &old, old | CT_WORK_SYNC) fails";
        }
    }

    private static IEnumerable<string> Isolated(Board b, int cpu, bool relaxed)
    {
        int seq = relaxed ? b.Mem.AtomicAddReturnRelaxed(cpu, b.Z, RcuWatching) : b.Mem.AtomicAddReturn(cpu, b.Z, RcuWatching);
        yield return "seq = atomic_add_return(CT_RCU_WATCHING, &ct->state)";
        if ((seq & WorkSync) != 0)
        {
            b.Mem.SyncCore(cpu);
            b.R[1] = 1;
            yield return "ct_work_flush(seq): sync_core()";
        }

        b.R[2] = b.Mem.ReadOnce(cpu, b.X);
        yield return "execute the patched site";
    }

    [Theory]
    [InlineData(MemoryMode.Sc, false, false, false)]
    [InlineData(MemoryMode.Tso, false, false, false)]
    [InlineData(MemoryMode.Lkmm, false, false, false)]
    [InlineData(MemoryMode.Tso, true, true, false)]
    [InlineData(MemoryMode.Lkmm, true, false, true)]
    [InlineData(MemoryMode.Lkmm, false, true, false)]
    public void DeferredSync_RunsPatchedText_UnlessTheSetterIsRelaxed(MemoryMode mode, bool relaxedSetter, bool relaxedEntry, bool stale)
    {
        SortedSet<string> found = Programs.Outcomes(
            mode,
            3,
            (b, cpu) => Housekeeping(b, cpu, relaxedSetter),
            (b, cpu) => Isolated(b, cpu, relaxedEntry));

        // Reachability: both paths of the setter are taken, and a deferral is always flushed.
        Assert.Contains(found, o => o[0] == '1');
        Assert.Contains(found, o => o[0] == '2');
        Assert.DoesNotContain(found, o => o.StartsWith("10", StringComparison.Ordinal));
        Assert.Equal(stale, found.Contains("110"));
    }
}
