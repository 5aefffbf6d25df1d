using System.Globalization;
using Verify.Actors;
using Verify.SystematicTesting;

namespace Verify.Protocols.ContextTracking;

/// <summary>
/// Context-tracking IPI deferral as the command line sees it: `verify verdicts ContextTracking`,
/// and `verify stats contexttracking`: IPIs per callback type per version under a workload, against
/// no deferral, beside the rteval figures of the postings.
/// </summary>
public sealed class ContextTrackingProtocol : Protocol
{
    public override string Name => "ContextTracking";

    public override string Slug => "contexttracking";

    /// <summary>The cells of <paramref name="variant"/> x <paramref name="scenario"/> checked together: the model's run with each of <paramref name="properties"/>' monitors, on the minimal configuration.</summary>
    public override Action<IActorRuntime> SearchBody(string variant, string scenario, IReadOnlyList<string> properties)
    {
        Variant v = Enum.Parse<Variant>(variant);
        Scenario s = Scenario.All.Single(x => x.Name == scenario);
        Property[] ps = properties.Select(Enum.Parse<Property>).ToArray();
        return r => ContextTrackingModel.Run(r, v, s, CtParams.Minimal with { Properties = ps });
    }

    public override StatisticsOptions StatisticsDefaults { get; } = new(Runs: 200, Seed: 0, Ticks: 1);

    public override IReadOnlyList<StatisticsSetting> StatisticsSettings => ContextTrackingReport.Settings;

    public override string WriteStatistics(StatisticsOptions options, TextWriter console) =>
        ContextTrackingReport.Write(this, options, console);

    internal ContextTrackingStatistics Collect(Variant variant, Workload w, StatisticsOptions options, bool fixExpectNotWatching)
    {
        var stats = new ContextTrackingStatistics();
        var p = CtParams.Minimal with { Statistics = stats, Workload = w, FixExpectNotWatching = fixExpectNotWatching };
        var scenario = new Scenario { Name = "Workload", Activity = Activity.User, Sender = Sender.TextPatch };
        Configuration config = Configuration.Create()
            .WithTestingIterations((uint)options.Runs)
            .WithRandomGeneratorSeed(options.Seed)
            .WithRandomStrategy()
            .WithMaxSchedulingSteps(1_000_000);
        var engine = TestingEngine.Create(config, r => ContextTrackingModel.Run(r, variant, scenario, p));
        engine.TestName = string.Create(CultureInfo.InvariantCulture, $"{Name}.stats.{variant}");
        RunToEnd(engine);
        return stats;
    }

    internal static void Table(TextWriter w, IReadOnlyList<string> header, IReadOnlyList<string[]> rows) => WriteTable(w, header, rows);
}
