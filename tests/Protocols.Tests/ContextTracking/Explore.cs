using Verify.Protocols.ContextTracking;
using Verify.SystematicTesting;

namespace Protocols.Tests.ContextTracking;

/// <summary>Explores one context-tracking configuration with a fixed seed and budget, and replays what it finds.</summary>
internal static class Explore
{
    internal static TestReport Run(Variant variant, Scenario scenario, CtParams p, uint iterations = 1000, ulong seed = 0, string strategy = "portfolio") =>
        ModelRuns.Checked(ModelRuns.Sampling(iterations, seed, strategy), r => ContextTrackingModel.Run(r, variant, scenario, p)).TestReport;

    /// <summary>A stateful search (<c>stateful-dfs</c> or <c>stateful-bfs</c>) of one configuration, its bug replayed.</summary>
    internal static TestingEngine Stateful(Variant variant, Scenario scenario, CtParams p, string search = "stateful-bfs") =>
        ModelRuns.Checked(ModelRuns.Stateful(search), r => ContextTrackingModel.Run(r, variant, scenario, p));

    internal static CtParams Only(Property property) => CtParams.Minimal with { Properties = [property] };

    /// <summary>The built-in scenario of that name.</summary>
    internal static Scenario Named(string name) => Scenario.All.Single(s => s.Name == name);
}
