using Verify.Protocols.VgicLpi;
using Verify.SystematicTesting;

namespace Protocols.Tests.VgicLpi;

/// <summary>Explores one vGIC LPI configuration with a fixed seed and budget, and replays what it finds.</summary>
internal static class Explore
{
    internal static TestReport Run(Variant variant, Scenario scenario, VgicLpiParams p, uint iterations = 1000, ulong seed = 0, string strategy = "portfolio") =>
        ModelRuns.Checked(ModelRuns.Sampling(iterations, seed, strategy), r => VgicLpiModel.Run(r, variant, scenario, p)).TestReport;

    /// <summary>A sampling campaign whose engine is kept, for its readable trace.</summary>
    internal static TestingEngine Sample(Variant variant, Scenario scenario, VgicLpiParams p, uint iterations = 1000, ulong seed = 0) =>
        ModelRuns.Checked(ModelRuns.Sampling(iterations, seed), r => VgicLpiModel.Run(r, variant, scenario, p));

    /// <summary>A stateful search (<c>stateful-dfs</c> or <c>stateful-bfs</c>) of one configuration, its bug replayed.</summary>
    internal static TestingEngine Stateful(Variant variant, Scenario scenario, VgicLpiParams p, string search) =>
        ModelRuns.Checked(ModelRuns.Stateful(search), r => VgicLpiModel.Run(r, variant, scenario, p));

    internal static VgicLpiParams Only(Property property) => VgicLpiParams.Minimal with { Properties = [property] };

    /// <summary>The built-in scenario of that name.</summary>
    internal static Scenario Named(string name) => Scenario.All.Single(s => s.Name == name);
}
