using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.StateSpace;

/// <summary>Runs the stateful searches as the tests need them; a found bug must replay from its trace text.</summary>
internal static class Stateful
{
    internal static TestingEngine Dfs(Action<IActorRuntime> test, uint maxSteps = 1_000, bool reduce = false) =>
        Run("stateful-dfs", test, maxSteps, reduce);

    internal static TestingEngine Bfs(Action<IActorRuntime> test, uint maxSteps = 1_000, bool reduce = false) =>
        Run("stateful-bfs", test, maxSteps, reduce);

    internal static TestingEngine Run(string search, Action<IActorRuntime> test, uint maxSteps, bool reduce, bool failOnMaxSteps = false, int snapshotInterval = 8, int snapshotBudget = 100_000, int workers = 1, StateStore store = StateStore.HashCompact96, int log2Bits = 30, int hashes = 3)
    {
        Configuration config = Configuration.Create()
            .WithStrategy(search, 0)
            .WithParallelism(workers)
            .WithRandomGeneratorSeed(1)
            .WithMaxSchedulingSteps(maxSteps)
            .WithPartialOrderReduction(reduce)
            .WithFailureOnMaxStepsBoundEnabled(failOnMaxSteps)
            .WithStateStore(store, log2Bits, hashes);
        config.SnapshotInterval = snapshotInterval;
        config.SnapshotBudget = snapshotBudget;
        return Run(config, test);
    }

    /// <summary>Runs <paramref name="test"/> as <paramref name="config"/> says; a bug must replay from its trace text.</summary>
    internal static TestingEngine Run(Configuration config, Action<IActorRuntime> test)
    {
        TestingEngine engine = TestingEngine.Create(config, test);
        engine.Run();
        if (engine.TestReport.Bug is not null)
        {
            Assert.Null(engine.TestReport.Error);
            TestingEngine replay = Explore.Replay(test, engine.ReproducibleTrace);
            Assert.Null(replay.TestReport.Divergence);
            Assert.Equal(engine.TestReport.Bug.Summary, replay.TestReport.Bug?.Summary);
        }

        return engine;
    }

    internal static StateSpaceReport Space(this TestingEngine engine) => engine.TestReport.StateSpace!;

    /// <summary>Steps in a trace: its scheduling decisions.</summary>
    internal static int TraceSteps(this TestingEngine engine) =>
        engine.BugTrace!.Decisions.Count(d => d.Kind == Verify.Traces.DecisionKind.Schedule);
}
