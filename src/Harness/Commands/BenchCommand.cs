using System.Globalization;
using Verify.Actors;
using Verify.Harness.Reference;
using Verify.SystematicTesting;

namespace Verify.Harness.Commands;

/// <summary>
/// `verify bench`: decisions/s and iterations/s on the fixed reference models, on one core and on
/// N workers. Each row runs for a fixed time after a warm-up, with a fixed seed.
/// </summary>
internal static class BenchCommand
{
    internal static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("seconds", [], true, "measuring time per row (default 3)", "SECONDS"),
        new("parallel", [], true, "workers for the parallel rows (default 2)"),
        new("model", [], true, "only rows whose model name contains this text", "TEXT"),
        new("coverage", [], false, "count coverage as `verify test` does (to measure its cost)"),
        TestCommand.Help,
    ];

    private static bool coverage;

    private sealed record Row(string Model, string Strategy, Action<IActorRuntime> Test, int MaxSteps, Action? Setup = null);

    internal const string UsageLine = "Usage: verify bench [--seconds N] [--parallel N] [--model TEXT]";

    internal static ExitCode Run(string[] args, TextWriter stdout)
    {
        Options o = Options.Parse(args, Specs, "bench");
        if (Cli.WantsHelp(o, stdout, UsageLine, Specs))
        {
            return ExitCode.Success;
        }

        int seconds = o.Int("seconds", 3, 1);
        int parallel = o.Has("parallel") ? o.Parallel(2) : 2;
        string? filter = o.String("model");
        coverage = o.Has("coverage");
        Row[] rows =
        [
            new("ping-pong, 2 actors, 500 round trips", "random", PingPong.Execute, 10_000, () => PingPong.Rounds = 500),
            new("ping-pong, 2 actors, 1 round trip", "random", PingPong.Execute, 10_000, () => PingPong.Rounds = 1),
            new("coffee machine, 4 actors, -ms 2000", "random", CoffeeMachine.Execute, 2_000),
            new("coffee machine, 4 actors, -ms 2000", "prioritization", CoffeeMachine.Execute, 2_000),
            new("token ring, 10 actors", "random", TokenRing.Execute, 10_000),
        ];

        stdout.WriteLine($"verify bench: {seconds} s per row, seed 1, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        var table = new List<string[]>();
        foreach (Row row in rows.Where(r => filter is null || r.Model.Contains(filter, StringComparison.OrdinalIgnoreCase)))
        {
            row.Setup?.Invoke();
            Measure(row, 1, 1);
            TestReport single = Measure(row, 1, seconds);
            table.Add(Cells(row, single, null));
            if (parallel > 1)
            {
                Measure(row, parallel, 1);
                TestReport multi = Measure(row, parallel, seconds);
                table.Add(Cells(row, multi, multi.DecisionsPerSecond / single.DecisionsPerSecond));
            }
        }

        PingPong.Rounds = 500;
        if (table.Count > 0)
        {
            Table.Write(stdout, ["Model", "Strategy", "Workers", "Iterations", "Decisions", "Decisions/s", "Iterations/s", "Speed-up"], table);
        }

        StatefulBench.Run(filter, parallel, stdout);
        return ExitCode.Success;
    }

    private static TestReport Measure(Row row, int workers, int seconds)
    {
        Configuration config = Configuration.Create()
            .WithTestingIterations(int.MaxValue)
            .WithTestingTimeout((uint)seconds)
            .WithRandomGeneratorSeed(1)
            .WithMaxSchedulingSteps((uint)row.MaxSteps)
            .WithStrategy(row.Strategy, 0)
            .WithParallelism(workers)
            .WithActivityCoverageReported(coverage);
        var engine = TestingEngine.Create(config, row.Test);
        engine.Run();
        TestReport r = engine.TestReport;
        if (r.Bug is not null || r.Error is not null)
        {
            throw new InvalidOperationException($"reference model {row.Model} failed: {r.Bug?.Summary ?? r.Error}");
        }

        return r;
    }

    private static string[] Cells(Row row, TestReport r, double? speedup)
    {
        var c = CultureInfo.InvariantCulture;
        return
        [
            row.Model,
            row.Strategy,
            r.Workers.ToString(c),
            r.Iterations.ToString("N0", c),
            r.TotalDecisions.ToString("N0", c),
            r.DecisionsPerSecond.ToString("N0", c),
            r.IterationsPerSecond.ToString("N0", c),
            speedup is double s ? s.ToString("F2", c) + "x" : "-",
        ];
    }
}
