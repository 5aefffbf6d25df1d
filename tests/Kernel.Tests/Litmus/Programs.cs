using Verify;
using Verify.Actors;
using Verify.Kernel.Memory;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Litmus;

/// <summary>Runs hand-written statement programs on a <see cref="Board"/> under a stateful search.</summary>
internal static class Programs
{
    internal delegate IEnumerable<string> Thread(Board b, int cpu);

    /// <summary>Every outcome an exhaustive search reaches.</summary>
    internal static SortedSet<string> Outcomes(MemoryMode mode, int registers, params Thread[] threads) =>
        Outcomes(mode, registers, 0, threads);

    internal static SortedSet<string> Outcomes(MemoryMode mode, int registers, int zInitial, params Thread[] threads) =>
        Outcomes(mode, registers, zInitial, finalZ: false, threads);

    /// <summary>Every outcome an exhaustive search reaches, each ending with z's final value if <paramref name="finalZ"/>.</summary>
    internal static SortedSet<string> Outcomes(MemoryMode mode, int registers, int zInitial, bool finalZ, params Thread[] threads)
    {
        var outcomes = new SortedSet<string>(StringComparer.Ordinal);
        TestingEngine engine = Search("stateful-dfs", Body(mode, registers, zInitial, outcomes, null, threads, finalZ));
        Assert.Null(engine.TestReport.Bug);
        Assert.True(engine.TestReport.Exhausted);
        Assert.Equal(0, engine.TestReport.StateSpace!.BoundCutStates);
        return outcomes;
    }

    internal static Action<IActorRuntime> Body(MemoryMode mode, int registers, int zInitial, ISet<string> outcomes, string? forbidden, Thread[] threads, bool finalZ = false, int staleStores = 3) => r =>
    {
        var board = new Board(r, mode, threads.Length, registers, zInitial, outcomes, forbidden, finalZ, staleStores);
        for (int cpu = 0; cpu < threads.Length; cpu++)
        {
            r.CreateActor(typeof(StatementCpu), $"cpu{cpu}", new StatementCpu.Setup(board, threads[cpu](board, cpu).GetEnumerator()));
        }
    };

    internal static TestingEngine Search(string strategy, Action<IActorRuntime> body, uint maxSteps = 1_000)
    {
        Configuration config = Configuration.Create().WithStrategy(strategy, 0).WithTestingIterations(1_000).WithRandomGeneratorSeed(0).WithMaxSchedulingSteps(maxSteps);
        TestingEngine engine = TestingEngine.Create(config, body);
        engine.Run();
        Assert.Null(engine.TestReport.Error);
        return engine;
    }
}
