using Verify.Kernel.Memory;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Litmus;

/// <summary>
/// A CPU that toggles a flag forever while another reads it. Under TSO the stores pile up in the
/// buffer while the flusher waits; under the LKMM mode each store is a new entry in the flag's
/// history. The state space is finite only because the buffer has a size, and the LKMM mode drops
/// the stores no CPU can read any more and bounds how stale a read may be.
/// </summary>
public class StalenessTests
{
    private static IEnumerable<string> Toggler(Board b, int cpu)
    {
        while (true)
        {
            b.Mem.WriteOnce(cpu, b.X, 1);
            yield return "WRITE_ONCE(flag, 1)";
            b.Mem.WriteOnce(cpu, b.X, 0);
            yield return "WRITE_ONCE(flag, 0)";
        }
    }

    private static IEnumerable<string> Watcher(Board b, int cpu)
    {
        while (true)
        {
            b.R[0] = b.Mem.ReadOnce(cpu, b.X);
            yield return "r0 = READ_ONCE(flag)";
        }
    }

    private static TestingEngine Search(MemoryMode mode, int staleStores, uint maxSteps) =>
        Programs.Search("stateful-dfs", Programs.Body(mode, 1, 0, new HashSet<string>(), null, [Toggler, Watcher], staleStores: staleStores), maxSteps);

    [Theory]
    [InlineData(MemoryMode.Tso)]
    [InlineData(MemoryMode.Lkmm)]
    public void ForeverStoringCpu_HasAFiniteStateSpace_WithBoundedStaleness(MemoryMode mode)
    {
        TestingEngine engine = Search(mode, staleStores: 3, maxSteps: 1_000);
        Assert.True(engine.TestReport.Exhausted);
        Assert.Equal(0, engine.TestReport.StateSpace!.BoundCutStates);
        Assert.InRange(engine.TestReport.StateSpace.States, 2, 200);
    }

    [Theory]
    [InlineData(MemoryMode.Tso)]
    [InlineData(MemoryMode.Lkmm)]
    public void ForeverStoringCpu_HasNoEnd_WithoutABound(MemoryMode mode)
    {
        TestingEngine engine = Search(mode, staleStores: int.MaxValue, maxSteps: 40);
        Assert.True(engine.TestReport.StateSpace!.BoundCutStates > 0);
    }
}
