using Verify;
using Verify.Protocols.Qpw;
using Verify.SystematicTesting;

namespace Protocols.Tests.Qpw;

/// <summary>Explores one QPW configuration with a fixed seed and budget, and replays what it finds.</summary>
internal static class Explore
{
    /// <summary>
    /// Samples one configuration. With a FIFO poller a run need not end (a poller starving kworker/0
    /// polls on after the clock stopped), so such runs stop at <see cref="PollerStepBound"/> steps,
    /// far beyond any run that ends by itself in these small configurations.
    /// </summary>
    internal static TestReport Run(Variant variant, Scenario scenario, QpwParams p, uint iterations = 1000, ulong seed = 0, string strategy = "portfolio")
    {
        Configuration config = ModelRuns.Sampling(iterations, seed, strategy);
        if (scenario.HasPoller)
        {
            config.WithMaxSchedulingSteps(PollerStepBound, PollerStepBound);
        }

        return ModelRuns.Checked(config, r => QpwModel.Run(r, variant, scenario, p)).TestReport;
    }

    /// <summary>The step bound of a sampled run with a poller here: generated configurations run up to four CPUs for four jiffies.</summary>
    internal const uint PollerStepBound = 2_000;

    /// <summary>A stateful search (<c>stateful-dfs</c> or <c>stateful-bfs</c>) of one configuration, its bug replayed.</summary>
    internal static TestingEngine Stateful(Variant variant, Scenario scenario, QpwParams p, string search) =>
        ModelRuns.Checked(ModelRuns.Stateful(search), r => QpwModel.Run(r, variant, scenario, p));

    internal static QpwParams Only(Property property) => QpwParams.Minimal with { Properties = [property] };

    /// <summary>The built-in scenario of that name.</summary>
    internal static Scenario Named(string name) => Scenario.All.Single(s => s.Name == name);
}
