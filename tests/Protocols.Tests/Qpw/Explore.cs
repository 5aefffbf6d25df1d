using Verify.Protocols.Qpw;
using Verify.SystematicTesting;

namespace Protocols.Tests.Qpw;

/// <summary>Explores one QPW configuration with a fixed seed and budget, and replays what it finds.</summary>
internal static class Explore
{
    internal static TestReport Run(Variant variant, Scenario scenario, QpwParams p, uint iterations = 1000, ulong seed = 0, string strategy = "portfolio") =>
        ModelRuns.Checked(ModelRuns.Sampling(iterations, seed, strategy), r => QpwModel.Run(r, variant, scenario, p)).TestReport;

    /// <summary>A stateful search (<c>stateful-dfs</c> or <c>stateful-bfs</c>) of one configuration, its bug replayed.</summary>
    internal static TestingEngine Stateful(Variant variant, Scenario scenario, QpwParams p, string search) =>
        ModelRuns.Checked(ModelRuns.Stateful(search), r => QpwModel.Run(r, variant, scenario, p));

    internal static QpwParams Only(Property property) => QpwParams.Minimal with { Properties = [property] };

    /// <summary>The built-in scenario of that name.</summary>
    internal static Scenario Named(string name) => Scenario.All.Single(s => s.Name == name);
}
