using Verify;
using Verify.Kernel.Memory;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Litmus;

/// <summary>
/// A pairing with one smp_mb() removed, as in context tracking's store-buffering pair (the
/// kernel-range TLB deferral, P-CT-S5): housekeeping writes x then reads y, the isolated CPU writes y, smp_mb(), reads x.
/// It holds under SC and fails under TSO and Lkmm, with a trace that replays and shows the store
/// waiting in the buffer.
/// </summary>
public class WeakenedBarrierTests
{
    private static Programs.Thread[] Threads => [Housekeeping, Isolated];

    private static IEnumerable<string> Housekeeping(Board b, int cpu)
    {
        b.Mem.WriteOnce(cpu, b.X, 1);
        yield return "WRITE_ONCE(pte_cleared, 1)";

        // smp_mb() removed here.
        b.R[0] = b.Mem.ReadOnce(cpu, b.Y);
        yield return "r0 = READ_ONCE(kernel_cr3_loaded)";
    }

    private static IEnumerable<string> Isolated(Board b, int cpu)
    {
        b.Mem.WriteOnce(cpu, b.Y, 1);
        yield return "WRITE_ONCE(kernel_cr3_loaded, 1)";
        b.Mem.SmpMb(cpu);
        yield return "smp_mb()";
        b.R[1] = b.Mem.ReadOnce(cpu, b.X);
        yield return "r1 = READ_ONCE(pte_cleared)";
    }

    private static TestingEngine Search(MemoryMode mode, string strategy = "stateful-dfs") =>
        Programs.Search(strategy, Programs.Body(mode, 2, 0, new HashSet<string>(), "00", Threads));

    [Fact]
    public void MissingBarrier_HoldsUnderSc()
    {
        TestingEngine engine = Search(MemoryMode.Sc);
        Assert.Null(engine.TestReport.Bug);
        Assert.True(engine.TestReport.Exhausted);
    }

    [Theory]
    [InlineData("stateful-dfs")]
    [InlineData("stateful-bfs")]
    public void MissingBarrier_FailsUnderTso_WithATraceShowingTheBufferedStore(string strategy)
    {
        TestingEngine engine = Search(MemoryMode.Tso, strategy);
        Assert.Equal("Forbidden outcome 00 reached under Tso.", engine.TestReport.Bug?.Message);
        Assert.Contains("cpu0 store x = 1 enters its store buffer", engine.ReadableTrace, StringComparison.Ordinal);
        ReplaysToTheSameBug(engine, MemoryMode.Tso);
    }

    private static void ReplaysToTheSameBug(TestingEngine engine, MemoryMode mode)
    {
        TestingEngine replay = TestingEngine.Create(
            Configuration.Create().WithReproducibleTrace(engine.ReproducibleTrace),
            Programs.Body(mode, 2, 0, new HashSet<string>(), "00", Threads));
        replay.Run();
        Assert.Null(replay.TestReport.Divergence);
        Assert.Equal(engine.TestReport.Bug!.Summary, replay.TestReport.Bug?.Summary);
    }

    [Fact]
    public void MissingBarrier_FailsUnderLkmm_ReadingAnOlderStore()
    {
        TestingEngine engine = Search(MemoryMode.Lkmm);
        Assert.Equal("Forbidden outcome 00 reached under Lkmm.", engine.TestReport.Bug?.Message);

        // cpu0 ran to the end first; cpu1's smp_mb() does not make cpu0's store visible to it without a barrier in cpu0.
        Assert.Contains("cpu1 load x = 0: store #0 of x, its view allows #0..#1", engine.ReadableTrace, StringComparison.Ordinal);

        // The load's choice is a decision of the trace, replayed like a schedule.
        Assert.Contains("int 0/2", engine.ReproducibleTrace, StringComparison.Ordinal);
        ReplaysToTheSameBug(engine, MemoryMode.Lkmm);
    }

    [Fact]
    public void MissingBarrier_IsFoundUnderTso_ByRandomTesting()
    {
        TestingEngine engine = Programs.Search(
            "random",
            Programs.Body(MemoryMode.Tso, 2, 0, new HashSet<string>(), "00", Threads));
        Assert.NotNull(engine.TestReport.Bug);
    }
}
