using Verify;
using Verify.Protocols.KvmRcu;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.KvmRcu;

/// <summary>Explores one KVM/RCU configuration with a fixed seed and budget, and replays what it finds.</summary>
internal static class Explore
{
    internal static TestReport Run(Variant variant, Scenario scenario, KvmRcuParams p, uint iterations = 2000, ulong seed = 0, string strategy = "portfolio")
    {
        Configuration config = Configuration.Create()
            .WithTestingIterations(iterations)
            .WithRandomGeneratorSeed(seed)
            .WithStrategy(strategy, 0);
        return Checked(config, variant, scenario, p).TestReport;
    }

    /// <summary>A stateful search (<c>stateful-dfs</c> or <c>stateful-bfs</c>) of one configuration, seed 0, its bug replayed.</summary>
    internal static TestingEngine Stateful(Variant variant, Scenario scenario, KvmRcuParams p, string search, bool reduce = false, int workers = 1) =>
        Checked(
            Configuration.Create().WithStrategy(search, 0).WithRandomGeneratorSeed(0).WithPartialOrderReduction(reduce).WithParallelism(workers),
            variant,
            scenario,
            p);

    /// <summary>Steps in the bug's trace (its scheduling decisions), 0 without a bug.</summary>
    internal static int TraceSteps(TestingEngine engine) =>
        engine.BugTrace?.Decisions.Count(d => d.Kind == Verify.Traces.DecisionKind.Schedule) ?? 0;

    /// <summary>Runs the engine; it must end without an error, and a bug must replay from its trace text to the same bug.</summary>
    private static TestingEngine Checked(Configuration config, Variant variant, Scenario scenario, KvmRcuParams p)
    {
        TestingEngine engine = TestingEngine.Create(config, r => KvmRcuModel.Run(r, variant, scenario, p));
        engine.Run();
        Assert.Null(engine.TestReport.Error);
        if (engine.TestReport.Bug is not null)
        {
            TestingEngine replay = TestingEngine.Create(
                Configuration.Create().WithReproducibleTrace(engine.ReproducibleTrace),
                r => KvmRcuModel.Run(r, variant, scenario, p));
            replay.Run();
            Assert.Null(replay.TestReport.Divergence);
            Assert.Equal(engine.TestReport.Bug.Summary, replay.TestReport.Bug?.Summary);
        }

        return engine;
    }

    internal static KvmRcuParams Only(Property property) => KvmRcuParams.Minimal with { Properties = [property] };
}
