using Verify;
using Verify.Protocols.KvmRcu;
using Verify.SystematicTesting;

namespace Protocols.Tests.KvmRcu;

/// <summary>Explores one KVM/RCU configuration with a fixed seed and budget, and replays what it finds.</summary>
internal static class Explore
{
    internal static TestReport Run(Variant variant, Scenario scenario, KvmRcuParams p, uint iterations = 2000, ulong seed = 0, string strategy = "portfolio") =>
        ModelRuns.Checked(ModelRuns.Sampling(iterations, seed, strategy), r => KvmRcuModel.Run(r, variant, scenario, p)).TestReport;

    /// <summary>A stateful search (<c>stateful-dfs</c> or <c>stateful-bfs</c>) of one configuration, seed 0, its bug replayed.</summary>
    internal static TestingEngine Stateful(Variant variant, Scenario scenario, KvmRcuParams p, string search, bool reduce = false, int workers = 1) =>
        ModelRuns.Checked(ModelRuns.Stateful(search, reduce, workers), r => KvmRcuModel.Run(r, variant, scenario, p));

    /// <summary>Steps in the bug's trace (its scheduling decisions), 0 without a bug.</summary>
    internal static int TraceSteps(TestingEngine engine) => ModelRuns.TraceSteps(engine);

    internal static KvmRcuParams Only(Property property) => KvmRcuParams.Minimal with { Properties = [property] };
}
