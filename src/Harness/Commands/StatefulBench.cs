using System.Globalization;
using Verify.Actors;
using Verify.Harness.Reference;
using Verify.SystematicTesting;

namespace Verify.Harness.Commands;

/// <summary>
/// The stateful rows of `verify bench`: each runs a stateful search to exhaustion once and prints
/// states, transitions and states/s, with the reference count another checker gives where known.
/// </summary>
internal static class StatefulBench
{
    /// <param name="Reference">What another tool reports for the same model, for the table.</param>
    internal sealed record Row(string Model, string Search, bool Reduce, Action<IActorRuntime> Test, int MaxSteps, string Reference);

    internal static IReadOnlyList<Row> Rows { get; } =
    [
        new("filter lock, 4 processes", "stateful-dfs", false, FilterLock.Execute, 10_000_000, "SPIN 6.5.2: 3,138,424 states, 1.07M states/s"),
    ];

    /// <summary>Runs the rows whose model contains <paramref name="filter"/>; writes nothing when none does.</summary>
    internal static void Run(string? filter, TextWriter stdout)
    {
        var table = new List<string[]>();
        foreach (Row row in Rows.Where(r => filter is null || r.Model.Contains(filter, StringComparison.OrdinalIgnoreCase)))
        {
            table.Add(Cells(row, Measure(row)));
        }

        if (table.Count > 0)
        {
            stdout.WriteLine();
            Table.Write(stdout, ["Model", "Search", "States", "Transitions", "Max depth", "Time", "States/s", "Transitions/s", "Peak memory", "Reference"], table);
        }
    }

    private static TestReport Measure(Row row)
    {
        Configuration config = Configuration.Create()
            .WithStrategy(row.Search, 0)
            .WithRandomGeneratorSeed(1)
            .WithMaxSchedulingSteps((uint)row.MaxSteps)
            .WithPartialOrderReduction(row.Reduce);
        var engine = TestingEngine.Create(config, row.Test);
        engine.Run();
        TestReport r = engine.TestReport;
        if (r.Bug is not null || r.Error is not null || !r.Exhausted)
        {
            throw new InvalidOperationException($"reference model {row.Model} failed: {r.Bug?.Summary ?? r.Error ?? "not exhausted"}");
        }

        return r;
    }

    private static string[] Cells(Row row, TestReport r)
    {
        var c = CultureInfo.InvariantCulture;
        StateSpaceReport s = r.StateSpace!;
        return
        [
            row.Model,
            r.Strategy,
            s.States.ToString("N0", c),
            s.Transitions.ToString("N0", c),
            s.MaxDepth.ToString("N0", c),
            s.Elapsed.TotalSeconds.ToString("F1", c) + " s",
            s.StatesPerSecond.ToString("N0", c),
            s.TransitionsPerSecond.ToString("N0", c),
            (s.PeakMemoryBytes / (1024 * 1024)).ToString("N0", c) + " MB",
            row.Reference,
        ];
    }
}
