using System.Globalization;
using Verify.Actors;
using Verify.Kernel.Memory;
using Verify.SystematicTesting;

namespace Verify.Protocols.KvmRcu;

/// <summary>
/// KVM/RCU as the command line sees it: `verify verdicts KvmRcu`, `verify stats kvm-rcu` (rcuc
/// wakeups per grace period, heuristic false negatives and positives, grace-period durations),
/// and the bench rows that search Marcelo's vcpu_put-to-idle window.
/// </summary>
public sealed class KvmRcuProtocol : Protocol
{
    private const string Window = "KVM/RCU GuestHlt, vcpu_put-to-idle window";

    private const string Steady = "KVM/RCU SteadyGuest, grace-period guarantee, C, 3 jiffies";

    public override string Name => "KvmRcu";

    public override string Slug => "kvm-rcu";

    /// <summary>
    /// A cell's jiffies and FQS delay depend on its property (<see cref="KvmRcuModel.TicksFor"/>,
    /// <see cref="KvmRcuModel.FqsFor"/>), so a cell shares a search only with the cells of its
    /// variant x scenario whose properties run the same configuration.
    /// </summary>
    public override string? SearchGroup(string cell)
    {
        string? group = base.SearchGroup(cell);
        string[] parts = cell.Split('.');
        if (group is null || !Enum.TryParse(parts[0], out Variant v) || Scenario.Cells.FirstOrDefault(s => s.Name == parts[1]) is not { } scenario || !Enum.TryParse(parts[2], out Property p))
        {
            return group;
        }

        var single = KvmRcuParams.Minimal with { Properties = [p] };
        return string.Create(CultureInfo.InvariantCulture, $"{group} ticks {KvmRcuModel.TicksFor(v, scenario, single)} fqs {KvmRcuModel.FqsFor(single)}");
    }

    public override string SearchGroupRule =>
        "The properties about grace-period age run longer (the completion bound plus two jiffies) and the grace-period guarantee with the FQS scan at once, so a cell shares a search only with the cells of its variant x scenario that run the same jiffies and FQS delay.";

    /// <summary>The cells of <paramref name="variant"/> x <paramref name="scenario"/> checked together: the model's run with each of <paramref name="properties"/>' monitors, in the configuration each of them runs alone.</summary>
    public override Action<IActorRuntime> SearchBody(string variant, string scenario, IReadOnlyList<string> properties)
    {
        Variant v = Enum.Parse<Variant>(variant);
        Scenario s = Scenario.Cells.Single(x => x.Name == scenario);
        Property[] ps = properties.Select(Enum.Parse<Property>).ToArray();
        var p = KvmRcuParams.Minimal with { Properties = ps };
        if (ps.Any(one => KvmRcuModel.SearchConfiguration(v, s, KvmRcuParams.Minimal with { Properties = [one] }) != KvmRcuModel.SearchConfiguration(v, s, p)))
        {
            throw new ArgumentException($"{variant}.{scenario}: {string.Join(", ", properties)} do not run one configuration; SearchGroup keeps them apart.", nameof(properties));
        }

        return r => KvmRcuModel.Run(r, v, s, p);
    }

    public override StatisticsOptions StatisticsDefaults { get; } = new(Runs: 300, Seed: 0, Ticks: 12);

    public override IReadOnlyList<BenchRow> BenchRows { get; } =
    [
        new($"{Window}, CPlus", "stateful-dfs", false, IdleWindow(Variant.CPlus), 10_000, ExpectBug: true),
        new($"{Window}, CPlus", "stateful-bfs", false, IdleWindow(Variant.CPlus), 10_000, ExpectBug: true),
        new($"{Window}, C", "stateful-dfs", false, IdleWindow(Variant.C), 10_000, ExpectBug: false),
        new($"{Window}, C", "stateful-dfs", true, IdleWindow(Variant.C), 10_000, ExpectBug: false),
        new($"{Window}, A", "stateful-dfs", false, IdleWindow(Variant.A), 10_000, ExpectBug: false),
        new(Steady, "stateful-dfs", false, SteadyGuarantee, 10_000, ExpectBug: false),
        new(Steady, "stateful-dfs", true, SteadyGuarantee, 10_000, ExpectBug: false),
    ];

    /// <summary>The window's breadth-first search in the weak modes: the same window, with the memory's states (and TSO's store-buffer actors) added.</summary>
    public override IReadOnlyList<BenchRow> MemoryModeBenchRows { get; } =
    [
        new($"{Window}, CPlus, TSO", "stateful-bfs", false, IdleWindow(Variant.CPlus, MemoryMode.Tso), 10_000, ExpectBug: true),
        new($"{Window}, CPlus, LKMM", "stateful-bfs", false, IdleWindow(Variant.CPlus, MemoryMode.Lkmm), 10_000, ExpectBug: true),
    ];

    /// <summary>A guest that keeps running while the housekeeping side runs grace periods and callbacks: the RCU guarantee, three jiffies.</summary>
    private static void SteadyGuarantee(IActorRuntime r) =>
        KvmRcuModel.Run(r, Variant.C, Scenario.SteadyGuest, KvmRcuParams.Minimal with { MaxTicks = 3, Properties = [Property.GracePeriodGuarantee] });

    /// <summary>The minimal KVM/RCU configuration with a guest HLT, checking only the idle-window property, in a memory mode (SC by default).</summary>
    private static Action<IActorRuntime> IdleWindow(Variant v, MemoryMode memory = MemoryMode.Sc) =>
        r => KvmRcuModel.Run(r, v, Scenario.GuestHlt, KvmRcuParams.Minimal with { Properties = [Property.NoRcucWakeupEnteringIdle], Memory = memory });

    /// <summary>
    /// Many random runs of a workload per variant. The latency monitors count into
    /// <see cref="KvmRcuStatistics"/> instead of failing, so every run contributes.
    /// </summary>
    public override string WriteStatistics(StatisticsOptions options, TextWriter console)
    {
        (int runs, ulong seed, int ticks) = (options.Runs, options.Seed, options.Ticks);
        var c = CultureInfo.InvariantCulture;
        string[] header = ["variant", "runs", "grace periods", "ticks", "rcuc wakeups", "wakeups/100 ticks", "wakeups/GP", "false negatives", "suppressions", "false positives", "GP jiffies p50/p90/max"];
        var doc = new StringWriter();
        doc.Write($"# KVM/RCU statistics\n\nGenerated by `{StatisticsCommand(options)}`; do not edit by hand.\n\n");
        doc.Write($"Each variant ran {runs} random schedules of each scenario, {ticks} jiffies (HZ=4) with three synchronize_rcu() calls and one call_rcu() at random jiffies. ");
        doc.Write("A false negative is an rcuc wakeup followed by the vCPU's re-entry on that CPU within one jiffy; a false positive is a heuristic suppression of rcu_pending() with no re-entry within one jiffy (suppressions still pending when a run ends are not counted). ");
        doc.Write("The model's tick runs every jiffy on a CPU that is not idle, where a real nohz_full CPU stops it whenever it can: read rcuc wakeups per 100 ticks as the rate while the tick runs, and wakeups per grace period as an upper bound (a CPU whose tick is stopped sees about one per burst of grace periods, from the tick that notes one).\n");
        foreach ((string title, IReadOnlyList<Scenario> scenarios) in new[] { ("All scenarios", Scenario.All), ("SteadyGuest only (a guest that keeps re-entering)", (IReadOnlyList<Scenario>)[Scenario.SteadyGuest]) })
        {
            var rows = new List<string[]>();
            var order = new List<(string Variant, double PerGp)>();
            foreach (Variant variant in Enum.GetValues<Variant>())
            {
                KvmRcuStatistics stats = Collect(variant, scenarios, runs, seed, ticks);
                order.Add((variant.ToString(), stats.WakeupsPerGracePeriod));
                List<int> d = stats.GracePeriodJiffies.Order().ToList();
                rows.Add(
                [
                    variant.ToString(),
                    stats.Runs.ToString(c),
                    stats.GracePeriodsCompleted.ToString(c),
                    stats.Ticks.ToString(c),
                    stats.RcucWakeups.ToString(c),
                    stats.WakeupsPer100Ticks.ToString("F1", c),
                    stats.WakeupsPerGracePeriod.ToString("F2", c),
                    stats.FalseNegatives.ToString(c),
                    stats.Suppressions.ToString(c),
                    stats.FalsePositives.ToString(c),
                    d.Count == 0 ? "-" : $"{d[d.Count / 2]} / {d[(int)(d.Count * 0.9)]} / {d[^1]}",
                ]);
            }

            string ranking = string.Join(" < ", order.OrderBy(o => o.PerGp).ThenBy(o => o.Variant, StringComparer.Ordinal).Select(o => $"{o.Variant} ({o.PerGp.ToString("F2", c)})"));
            console.WriteLine($"{title}: {runs} random runs per variant and scenario, {ticks} jiffies each (HZ=4), 3 synchronize_rcu() calls, seed {seed}");
            WriteTable(console, header, rows);
            console.WriteLine($"rcuc wakeups per grace period, fewest first: {ranking}");
            console.WriteLine();
            doc.Write($"\n## {title}\n\n");
            WriteTable(doc, header, rows);
            doc.Write($"\nrcuc wakeups per grace period, fewest first: {ranking}\n");
        }

        return doc.ToString();
    }

    private KvmRcuStatistics Collect(Variant variant, IReadOnlyList<Scenario> scenarios, int runs, ulong seed, int ticks)
    {
        var stats = new KvmRcuStatistics();
        foreach (Scenario scenario in scenarios)
        {
            var p = new KvmRcuParams
            {
                MaxTicks = ticks,
                GracePeriods = 3,
                Properties = [Property.NoRcucWakeupBeforeReentry, Property.NoSuppressionWithoutReentry],
                Statistics = stats,
            };
            Configuration config = Configuration.Create()
                .WithTestingIterations((uint)runs)
                .WithRandomGeneratorSeed(seed)
                .WithRandomStrategy();
            var engine = TestingEngine.Create(config, r => KvmRcuModel.Run(r, variant, scenario, p));
            engine.TestName = $"{Name}.stats.{variant}.{scenario.Name}";
            stats.Runs += RunToEnd(engine).Iterations;
        }

        return stats;
    }
}
