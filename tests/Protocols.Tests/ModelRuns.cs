using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests;

/// <summary>Runs a protocol model's test body under a configuration, and replays what it finds.</summary>
internal static class ModelRuns
{
    /// <summary>Sampling with a fixed seed and budget.</summary>
    internal static Configuration Sampling(uint iterations, ulong seed, string strategy = "portfolio") =>
        Configuration.Create().WithTestingIterations(iterations).WithRandomGeneratorSeed(seed).WithStrategy(strategy, 0);

    /// <summary>A stateful search (<c>stateful-dfs</c> or <c>stateful-bfs</c>), seed 0.</summary>
    internal static Configuration Stateful(string search, bool reduce = false, int workers = 1) =>
        Configuration.Create().WithStrategy(search, 0).WithRandomGeneratorSeed(0).WithPartialOrderReduction(reduce).WithParallelism(workers);

    /// <summary>Runs the engine; it must end without an error, and a bug must replay from its trace text to the same bug.</summary>
    internal static TestingEngine Checked(Configuration config, Action<IActorRuntime> body)
    {
        TestingEngine engine = TestingEngine.Create(config, body);
        engine.Run();
        Assert.Null(engine.TestReport.Error);
        if (engine.TestReport.Bug is not null)
        {
            TestingEngine replay = TestingEngine.Create(Configuration.Create().WithReproducibleTrace(engine.ReproducibleTrace), body);
            replay.Run();
            Assert.Null(replay.TestReport.Divergence);
            Assert.Equal(engine.TestReport.Bug.Summary, replay.TestReport.Bug?.Summary);
        }

        return engine;
    }

    /// <summary>A stateful search that found no bug and explored every state within its bounds.</summary>
    internal static void AssertExhaustedClean(TestReport report)
    {
        Assert.Null(report.Bug);
        Assert.True(report.Exhausted, report.StateSpace is { } s ? $"not exhausted after {s.States:N0} states" : "not exhausted");
    }

    /// <summary>Steps in the bug's trace (its scheduling decisions), 0 without a bug.</summary>
    internal static int TraceSteps(TestingEngine engine) =>
        engine.BugTrace?.Decisions.Count(d => d.Kind == Verify.Traces.DecisionKind.Schedule) ?? 0;
}
