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
        TestingEngine engine = TestingEngine.Create(config, r => KvmRcuModel.Run(r, variant, scenario, p));
        engine.Run();
        Assert.Null(engine.TestReport.Error);
        if (engine.TestReport.Bug is not null)
        {
            // Every counterexample replays from its trace text to the same bug.
            TestingEngine replay = TestingEngine.Create(
                Configuration.Create().WithReproducibleTrace(engine.ReproducibleTrace),
                r => KvmRcuModel.Run(r, variant, scenario, p));
            replay.Run();
            Assert.Null(replay.TestReport.Divergence);
            Assert.Equal(engine.TestReport.Bug.Summary, replay.TestReport.Bug?.Summary);
        }

        return engine.TestReport;
    }

    internal static KvmRcuParams Only(Property property) => KvmRcuParams.Minimal with { Properties = [property] };
}
