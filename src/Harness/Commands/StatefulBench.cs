using System.Globalization;
using Verify.Actors;
using Verify.Harness.Reference;
using Verify.Kernel.Memory;
using Verify.Kernel.Memory.Litmus;
using Verify.Protocols;
using Verify.SystematicTesting;

namespace Verify.Harness.Commands;

/// <summary>
/// The stateful rows of `verify bench`: each runs a stateful search once, to exhaustion or to the
/// bug the row expects, and prints states, transitions, states/s and the outcome. The filter lock
/// is measured beside SPIN on the same Promela model when `spin` and a C compiler are installed
/// (<see cref="SpinReference"/>): three runs each, turn about, the fastest of each compared. The
/// protocols' rows come from <see cref="Protocol.BenchRows"/>.
/// </summary>
internal static class StatefulBench
{
    /// <summary>What a row must end in: a bug (the window is there) or an exhausted space (it is not).</summary>
    internal enum Expect
    {
        Exhausted,
        Bug,
    }

    internal sealed record Row(string Model, string Search, bool Reduce, Action<IActorRuntime> Test, int MaxSteps, Expect Expect)
    {
        /// <summary>Threads of the search; above 1 only for a depth-first search to exhaustion.</summary>
        internal int Workers { get; init; } = 1;

        /// <summary>How the search keeps its visited states.</summary>
        internal StateStore Store { get; init; }

        /// <summary>With a bitstate store: log2 of the table's bits.</summary>
        internal int Log2Bits { get; init; } = BitstateLog2Bits;

        /// <summary>The search's name in the table: the strategy and, beside the default, the store.</summary>
        internal string Describe(string strategy) => Store switch
        {
            StateStore.HashCompact64 => strategy + ", --hash-compact",
            StateStore.Bitstate => strategy + $", --bitstate {Log2Bits}",
            _ => strategy,
        };

        /// <summary>Whether `--parallel` adds a run of this row on several workers (not for searches too small to time).</summary>
        internal bool Parallel { get; init; } = true;
    }

    /// <summary>The bitstate rows' table: 2^28 bits (32 MB), ample for the filter lock's 3.1M states at 3 bits a state.</summary>
    private const int BitstateLog2Bits = 28;

    /// <summary>Runs of the filter lock on each side of the comparison with SPIN.</summary>
    private const int ComparisonRuns = 3;

    /// <summary>The filter lock (against SPIN), then every protocol's rows.</summary>
    internal static IReadOnlyList<Row> Rows { get; } =
    [
        new("filter lock, 4 processes", "stateful-dfs", false, FilterLock.Execute, 10_000_000, Expect.Exhausted),
        new("filter lock, 4 processes", "stateful-dfs", false, FilterLock.Execute, 10_000_000, Expect.Exhausted) { Store = StateStore.HashCompact64 },
        new("filter lock, 4 processes", "stateful-dfs", false, FilterLock.Execute, 10_000_000, Expect.Exhausted) { Store = StateStore.Bitstate },
        .. Protocol.All.SelectMany(p => p.BenchRows).Select(r => new Row(r.Model, r.Search, r.Reduce, r.Test, r.MaxSteps, r.ExpectBug ? Expect.Bug : Expect.Exhausted)),
    ];

    /// <summary>
    /// The rows of the weak memory modes, timed after <see cref="Rows"/>: the litmus tests, then the
    /// protocols' <see cref="Protocol.MemoryModeBenchRows"/>.
    /// </summary>
    internal static IReadOnlyList<Row> MemoryModeRows { get; } =
    [
        .. LitmusRows(),
        .. Protocol.All.SelectMany(p => p.MemoryModeBenchRows).Select(r => new Row(r.Model, r.Search, r.Reduce, r.Test, r.MaxSteps, r.ExpectBug ? Expect.Bug : Expect.Exhausted)),
    ];

    /// <summary>
    /// The store-buffering and message-passing litmus tests (READ_ONCE/WRITE_ONCE) in each memory
    /// mode, searched to exhaustion as `verify litmus` does, and with partial-order reduction under
    /// TSO, where it removes states (a store-buffer flusher's setup is local; its flushes are not).
    /// </summary>
    private static IEnumerable<Row> LitmusRows() =>
        from name in new[] { "SB+once", "MP+once" }
        from mode in Enum.GetValues<MemoryMode>()
        from reduce in mode == MemoryMode.Tso ? new[] { false, true } : [false]
        select new Row($"litmus {name}, {mode.ToString().ToUpperInvariant()}", "stateful-dfs", reduce, LitmusExplorer.Body(LitmusCatalog.Find(name), mode), 1_000, Expect.Exhausted) { Parallel = false };

    /// <summary>
    /// Runs the rows whose model contains <paramref name="filter"/>; writes nothing when none does.
    /// Each depth-first search to exhaustion without reduction runs again on <paramref name="parallel"/> workers
    /// (but the litmus tests, too small to time).
    /// </summary>
    internal static void Run(string? filter, int parallel, TextWriter stdout)
    {
        var table = new List<string[]>();
        var notes = new List<string>();
        double spin = 0;
        var single = new Dictionary<(string Model, string Search, bool Reduce), TestReport>();
        IEnumerable<Row> rows = Rows.Concat(MemoryModeRows)
            .Where(r => filter is null || r.Model.Contains(filter, StringComparison.OrdinalIgnoreCase))
            .SelectMany(r => parallel > 1 && r.Parallel && r.Search == "stateful-dfs" && !r.Reduce && r.Store == StateStore.HashCompact96 && r.Expect == Expect.Exhausted ? [r, r with { Workers = parallel }] : new[] { r });
        foreach (Row row in rows)
        {
            bool filterLock = row.Workers == 1 && row.Model.StartsWith("filter lock", StringComparison.Ordinal);
            using SpinReference? reference = filterLock ? SpinReference.Prepare(FilterLock.Processes, row.Store, row.Log2Bits) : null;
            (TestReport r, int? traceSteps) = Measure(row);
            if (reference is { Available: true })
            {
                // The headline comparison, on a machine whose speed varies from minute to minute:
                // each side runs three times, turn about, and each is judged by its fastest run.
                var ours = new List<double> { r.StateSpace!.Elapsed.TotalSeconds };
                reference.RunOnce();
                for (int run = 1; run < ComparisonRuns; run++)
                {
                    (TestReport again, _) = Measure(row);
                    ours.Add(again.StateSpace!.Elapsed.TotalSeconds);
                    r = again.StateSpace!.Elapsed < r.StateSpace!.Elapsed ? again : r;
                    reference.RunOnce();
                }

                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Filter lock runs, in order: Verify {string.Join(", ", ours.Select(t => t.ToString("F2", CultureInfo.InvariantCulture)))} s; SPIN {string.Join(", ", reference.Times.Select(t => t.ToString("F2", CultureInfo.InvariantCulture)))} s."));
            }

            table.Add(Cells(row, r, traceSteps, reference is { Available: true } ? ComparisonRuns : 1));
            if (row.Workers > 1)
            {
                StateSpaceReport one = single[(row.Model, row.Search, false)].StateSpace!;
                string vsSpin = spin > 0 && row.Model.StartsWith("filter lock", StringComparison.Ordinal)
                    ? string.Create(CultureInfo.InvariantCulture, $"; SPIN's one-core rate is {spin / r.StateSpace!.StatesPerSecond:F1}x that")
                    : string.Empty;
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{row.Model} on {row.Workers} workers: {r.StateSpace!.States:N0} states ({(r.StateSpace.States == one.States ? "the same as" : "NOT the same as")} one worker), {r.StateSpace.StatesPerSecond:N0} states/s, {r.StateSpace.StatesPerSecond / one.StatesPerSecond:F2}x one worker{vsSpin}."));
                continue;
            }

            if (row.Store == StateStore.HashCompact96)
            {
                single[(row.Model, row.Search, row.Reduce)] = r;
            }

            if (reference is not null)
            {
                (string[] cells, double spinRate) = reference.Row();
                table.Add(cells);
                if (row.Store == StateStore.HashCompact96)
                {
                    spin = spinRate;
                }

                if (spinRate > 0)
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture,
                        $"Filter lock ({row.Describe("stateful-dfs")}): {r.StateSpace!.StatesPerSecond:N0} states/s against SPIN's {spinRate:N0} ({reference.Flags}), {spinRate / r.StateSpace.StatesPerSecond:F1}x slower per state{(row.Store == StateStore.HashCompact96 ? " (the goal is within 3x)" : string.Empty)}."));
                }
            }
        }

        if (table.Count == 0)
        {
            return;
        }

        stdout.WriteLine();
        Table.Write(stdout, ["Model", "Search", "States", "Transitions", "Max depth", "Time", "States/s", "Transitions/s", "Peak memory", "Outcome"], table);
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine("Peak memory: for Verify the managed heap plus the visited table (the measure --max-memory bounds; the process's resident set is larger), for SPIN pan's total memory usage.");
        notes.ForEach(stdout.WriteLine);
        foreach (((string model, string search, bool reduce), TestReport reducedRun) in single)
        {
            if (reduce && search == "stateful-dfs" && reducedRun.Exhausted && single.TryGetValue((model, search, false), out TestReport? fullRun) && fullRun.Exhausted)
            {
                StateSpaceReport full = fullRun.StateSpace!;
                StateSpaceReport red = reducedRun.StateSpace!;
                stdout.WriteLine(string.Create(c,
                    $"Partial-order reduction on {model}: {full.States:N0} -> {red.States:N0} states, a factor of {(double)full.States / red.States:F2} ({red.ReducedStates:N0} states expanded through one actor); transitions {(double)full.Transitions / red.Transitions:F2}x fewer, time {full.Elapsed.TotalSeconds / red.Elapsed.TotalSeconds:F2}x less."));
            }
        }
    }

    private static (TestReport Report, int? TraceSteps) Measure(Row row)
    {
        Configuration config = Configuration.Create()
            .WithStrategy(row.Search, 0)
            .WithRandomGeneratorSeed(1)
            .WithMaxSchedulingSteps((uint)row.MaxSteps)
            .WithPartialOrderReduction(row.Reduce)
            .WithParallelism(row.Workers)
            .WithStateStore(row.Store, row.Log2Bits);
        // A row reports the peak of the managed heap plus the visited table: start each row from a collected heap.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var engine = TestingEngine.Create(config, row.Test);
        engine.Run();
        TestReport r = engine.TestReport;
        bool expected = r.Error is null && (row.Expect == Expect.Bug ? r.Bug is not null : r.Bug is null && r.Exhausted);
        if (!expected)
        {
            throw new InvalidOperationException(
                $"benchmark model {row.Model} ({row.Search}) should end in {(row.Expect == Expect.Bug ? "a bug" : "an exhausted space")}: {r.Bug?.Summary ?? r.Error ?? "not exhausted"}");
        }

        return (r, engine.BugTrace?.Decisions.Count(d => d.Kind == Traces.DecisionKind.Schedule));
    }

    private static string[] Cells(Row row, TestReport r, int? traceSteps, int runs)
    {
        var c = CultureInfo.InvariantCulture;
        StateSpaceReport s = r.StateSpace!;
        string outcome = r.Bug is not null
            ? $"bug: a {traceSteps ?? r.Bug.Step}-step trace"
            : s.Store == StateStore.Bitstate ? string.Create(c, $"exhausted, no bug; estimated coverage {s.EstimatedCoverage * 100:F3}%")
            : s.BoundCutStates == 0 ? "exhausted, no bug" : "exhausted within the bound, no bug";
        return
        [
            row.Model,
            row.Workers > 1 ? $"{r.Strategy}, {row.Workers} workers" : runs > 1 ? $"{row.Describe(r.Strategy)}, best of {runs}" : row.Describe(r.Strategy),
            s.States.ToString("N0", c),
            s.Transitions.ToString("N0", c),
            s.MaxDepth.ToString("N0", c),
            s.Elapsed.TotalSeconds.ToString("F1", c) + " s",
            s.StatesPerSecond.ToString("N0", c),
            s.TransitionsPerSecond.ToString("N0", c),
            (s.PeakMemoryBytes / (1024 * 1024)).ToString("N0", c) + " MB",
            outcome,
        ];
    }
}
