using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.Support;

/// <summary>Runs a model under the engine with fixed seeds and budgets, as the tests need it.</summary>
internal static class Explore
{
    /// <summary>Explores <paramref name="test"/> with a named strategy; every argument that shapes the run is explicit.</summary>
    internal static TestingEngine With(
        string strategy,
        Action<IActorRuntime> test,
        uint iterations = 100,
        ulong seed = 1,
        int bound = 0,
        uint maxSteps = 1_000,
        uint livenessThreshold = 0,
        int workers = 1)
    {
        Configuration config = Configuration.Create()
            .WithStrategy(strategy, bound)
            .WithTestingIterations(iterations)
            .WithRandomGeneratorSeed(seed)
            .WithMaxSchedulingSteps(maxSteps)
            .WithParallelism(workers);
        if (livenessThreshold > 0)
        {
            config = config.WithLivenessTemperatureThreshold(livenessThreshold);
        }

        TestingEngine engine = TestingEngine.Create(config, test);
        engine.Run();
        ReplaysToTheSameBug(engine, test);
        return engine;
    }

    /// <summary>
    /// Every bug a test finds must replay from its trace file text to the same bug (STYLE.md §8).
    /// The engine already replays it once to build the readable trace; an Error would say that failed.
    /// </summary>
    private static void ReplaysToTheSameBug(TestingEngine engine, Action<IActorRuntime> test)
    {
        if (engine.TestReport.Bug is null)
        {
            return;
        }

        Assert.Null(engine.TestReport.Error);
        TestingEngine replay = Replay(test, engine.ReproducibleTrace);
        Assert.Null(replay.TestReport.Divergence);
        Assert.Equal(engine.TestReport.Bug.Summary, replay.TestReport.Bug?.Summary);
    }

    /// <summary>Runs one iteration: enough for a model with a single schedule.</summary>
    internal static TestingEngine Once(Action<IActorRuntime> test) => With("random", test, iterations: 1);

    /// <summary>
    /// Runs one iteration with a fresh journal. A found bug is replayed (by the engine and by
    /// <see cref="With"/>), which runs the test body again; the journal returned is the first run's.
    /// </summary>
    internal static (TestingEngine Engine, Journal Journal) Journaled(Action<IActorRuntime, Journal> test)
    {
        var runs = new List<Journal>();
        TestingEngine engine = Once(r =>
        {
            var journal = new Journal();
            runs.Add(journal);
            test(r, journal);
        });
        return (engine, runs[0]);
    }

    /// <summary>Runs every schedule (DFS) within the step bound; the budget is large enough to exhaust the small fixtures.</summary>
    internal static TestingEngine Dfs(Action<IActorRuntime> test, uint maxSteps = 1_000, uint iterations = 100_000) =>
        With("dfs", test, iterations, maxSteps: maxSteps);

    /// <summary>Replays a trace (file contents) against <paramref name="test"/>.</summary>
    internal static TestingEngine Replay(Action<IActorRuntime> test, string trace)
    {
        TestingEngine engine = TestingEngine.Create(Configuration.Create().WithReproducibleTrace(trace), test);
        engine.Run();
        return engine;
    }
}
