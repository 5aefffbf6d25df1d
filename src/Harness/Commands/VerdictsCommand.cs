using System.Globalization;
using System.Text;
using Verify.Actors;
using Verify.Protocols;
using Verify.SystematicTesting;
using Verify.Traces;

namespace Verify.Harness.Commands;

/// <summary>
/// `verify verdicts &lt;protocol&gt;`: runs every built-in test of the protocol, named
/// <c>...Variant.Scenario.Property</c>, with one budget, writes each counterexample's traces, and renders one variant x
/// scenario table per property as Markdown: violated (with its trace) or held within the bound. With
/// <c>--exhaustive</c> each cell is first a stateful search of its whole state space, and is sampled
/// only where the search reaches its state or memory bound (or the protocol opts the cell out).
/// </summary>
internal static class VerdictsCommand
{
    private const long DefaultMaxStates = 1_000_000;

    internal static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("iterations", ["-i"], true, "iterations per variant/scenario/property (default 1000); with --exhaustive, of the cells sampled"),
        new("seed", [], true, "run seed (default 0)"),
        new("exhaustive", [], false, "search each cell's whole state space (a stateful search); sample only where it reaches its bound"),
        new("search", ["-s"], true, "with --exhaustive: stateful-bfs (default: shallow bugs first, shortest traces) or stateful-dfs (less memory)", "NAME"),
        new("max-states", [], true, $"with --exhaustive: the most distinct states a cell's search may reach before the cell is sampled (default {DefaultMaxStates.ToString("N0", CultureInfo.InvariantCulture)})"),
        new("dfs-max-states", [], true, "with --exhaustive -s stateful-bfs: a cell whose breadth-first search reaches its bound is searched again depth-first (far less memory per state) within N distinct states before it is sampled (default: not searched again)"),
        new("search-per-cell", [], false, "with --exhaustive: search each cell on its own instead of the cells of a variant x scenario together (one search with all their monitors)"),
        new("max-memory", [], true, $"with --exhaustive: a cell's search stops at SIZE (512M, 4G; default half the memory, {Options.DefaultMaxMemory >> 20} MB here) and the cell is sampled", "SIZE"),
        new("param", [], true, "NAME=VALUE: a scenario parameter applied to every cell instead of its minimal configuration's default (repeatable; `verify list --params <cell>` lists them); the header names it and every trace records it", "NAME=VALUE"),
        new("cells", ["-m"], true, "only the cells whose Variant.Scenario.Property name has these dot-separated parts (C, GuestHlt, C.GuestHlt, ...; repeatable); the document and traces then go to verify-out/ unless -o and --traces say otherwise", "CELLS"),
        new("traces", [], true, "where counterexample traces go (default traces/<slug>, traces/<slug>-exhaustive with --exhaustive); only .trace files are written there", "DIR"),
        new("out", ["-o"], true, "the Markdown file to write (default docs/<slug>-verdicts.md, docs/<slug>-exhaustive-verdicts.md with --exhaustive)", "FILE"),
        new("outdir", [], true, "where each trace's readable views and model-error traces go (default verify-out)", "DIR"),
        TestCommand.Help,
    ];

    internal static readonly string UsageLine =
        "Usage: verify verdicts <protocol> [--exhaustive [-s stateful-bfs|stateful-dfs] [--max-states N] [--dfs-max-states N] [--max-memory SIZE] [--search-per-cell]] [--param NAME=VALUE] [-m CELLS] [-i N] [--seed N] [--traces DIR] [-o FILE] [--outdir DIR]   (protocols: "
        + string.Join(", ", Protocol.All.Select(p => p.Name)) + ")";

    internal static ExitCode Run(string[] args, TextWriter stdout) => Run(args, stdout, Protocol.All, TestRegistry.BuiltIn());

    internal static ExitCode Run(string[] args, TextWriter stdout, IReadOnlyList<Protocol> protocols, IReadOnlyList<TestCase> tests)
    {
        Options o = Options.Parse(args, Specs, "verdicts");
        if (Cli.WantsHelp(o, stdout, UsageLine, Specs))
        {
            return ExitCode.Success;
        }

        if (o.Positionals.Count != 1)
        {
            throw new UsageException($"`verify verdicts` takes one protocol. {UsageLine}");
        }

        Protocol protocol = ProtocolLookup.Find(protocols, o.Positionals[0], "verdicts");
        Settings s = Settings.Parse(o, protocol) with { Live = Progress.ForTerminal(stdout) };
        if (Directory.Exists(s.OutFile))
        {
            throw new UsageException($"-o {s.OutFile} is a directory; give the Markdown file to write, e.g. docs/{s.DocSlug}-verdicts.md.");
        }

        OutputPaths.WritableFile(s.OutFile, "-o");
        OutputPaths.WritableDirectory(s.TraceDir, "--traces");
        OutputPaths.WritableDirectory(s.ViewDir, "--outdir");

        IReadOnlyList<TestCase> protocolTests = tests.Where(t => t.FullName.Contains("." + protocol.Name + ".", StringComparison.Ordinal) && t.FullName.Split('.').Length >= 3).ToList();
        if (s.Params.Count > 0)
        {
            // The parameters go to the cells that run: those selected and the others of their
            // search groups (a knob that only some scenarios take is checked against those alone).
            var groups = protocolTests.Where(t => s.Selects(CellName(t))).Select(t => GroupKey(protocol, CellOf(t))).OfType<string>().ToHashSet(StringComparer.Ordinal);
            protocolTests = protocolTests
                .Select(t => s.Selects(CellName(t)) || (GroupKey(protocol, CellOf(t)) is string key && groups.Contains(key)) ? ScenarioParams.Apply(t, s.Params) : t)
                .ToList();
            if (s.Exhaustive && !s.SearchPerCell && protocol.Parameters is { } parameters)
            {
                // A shared search stands for each of its cells only if the parameters leave them one configuration.
                foreach (IGrouping<string, Cell> group in protocolTests.Select(CellOf).Where(c => GroupKey(protocol, c) is string key && groups.Contains(key)).GroupBy(c => GroupKey(protocol, c)!))
                {
                    try
                    {
                        parameters.Build(group.First().Name, s.Params, group.Select(c => c.Property).ToList());
                    }
                    catch (ScenarioParameterException ex)
                    {
                        throw new UsageException(ex.Message);
                    }
                }
            }
        }

        List<TestCase> selected = protocolTests.Where(t => s.Selects(CellName(t))).ToList();
        if (protocolTests.Count > 0 && selected.Count == 0)
        {
            throw new UsageException($"No cell of {protocol.Name} matches {string.Join(" or ", s.Filters.Select(f => "-m " + f))}; cells are named Variant.Scenario.Property, e.g. {CellName(protocolTests[0])}.");
        }

        var cells = new List<Verdict>();
        var errors = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool shared = s.Exhaustive && !s.SearchPerCell && protocolTests.Any(t => Grouped(protocol, CellOf(t)));
        if (shared)
        {
            SettleByGroups(protocolTests, selected, protocol, s, errors, stdout, cells);
        }
        else
        {
            foreach (TestCase test in selected)
            {
                if (StopRequest.IsRequested)
                {
                    break;
                }

                Cell cell = CellOf(test);
                s.Label = $"[{cells.Count + 1}/{selected.Count}] {cell.Name}: ";
                Verdict? verdict = s.Exhaustive ? Settle(test, cell, protocol, s, errors, stdout) : Sample(test, cell, protocol, s, search: null, errors, stdout);
                if (verdict is null)
                {
                    break;
                }

                cells.Add(verdict);
            }
        }

        if (StopRequest.IsRequested)
        {
            stdout.WriteLine($"verify: interrupted by {Signals.Name} after {cells.Count} cells: {s.OutFile} needs every cell, so it was not written and no trace in {s.TraceDir} was removed; the traces of the violations above were written.");
            return errors.Count > 0 ? ExitCode.Error : Signals.Code;
        }

        if (cells.Count == 0)
        {
            throw new UsageException($"No built-in test of {protocol.Name} matches '.{protocol.Name}.'. Run `verify list` for the names.");
        }

        // A cell that no longer fails, or no longer exists (a renamed variant), leaves no
        // counterexample behind: every other trace in the protocol's directory goes. A run of some
        // cells (-m) removes only the traces of those cells.
        var current = cells.Where(v => v.Trace is not null).Select(v => Path.GetFullPath(v.Trace!)).ToHashSet(StringComparer.Ordinal);
        var ran = cells.Select(v => v.Cell.Name + ".trace").ToHashSet(StringComparer.Ordinal);
        if (Directory.Exists(s.TraceDir))
        {
            foreach (string stale in Directory.GetFiles(s.TraceDir, "*.trace").Order(StringComparer.Ordinal))
            {
                if (!current.Contains(Path.GetFullPath(stale)) && (s.Filters.Count == 0 || ran.Contains(Path.GetFileName(stale))))
                {
                    File.Delete(stale);
                    stdout.WriteLine($"Removed {stale} (no longer a violation)");
                }
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(s.OutFile))!);
        List<string> ownStepBounds = cells.Where(v => !v.BySearch && !v.IsModelError && protocol.SampleStepBound(v.Cell.Name, s.Params) is not null)
            .GroupBy(v => protocol.SampleStepBound(v.Cell.Name, s.Params)!.Value).OrderBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key:N0} steps in {string.Join(", ", g.Select(v => v.Cell.Scenario).Distinct().Order(StringComparer.Ordinal))}")).ToList();
        File.WriteAllText(s.OutFile, Render(protocol.Name, cells, s, cells.Any(v => protocol.SampleIterations(v.Cell.Name, s.Iterations) != s.Iterations || v.Strategy is not null), Path.GetDirectoryName(Path.GetFullPath(s.OutFile))!, ownStepBounds, shared ? protocol : null));
        int violations = cells.Count(c => c.Bug is not null && !c.IsModelError);
        string settled = s.Exhaustive
            ? string.Create(CultureInfo.InvariantCulture, $"; {cells.Count(c => c.Search?.Exhausted == true)} exhausted, {cells.Count(c => c.IsSample)} sampled")
            : string.Empty;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {s.OutFile} ({violations} violations of {cells.Count}{settled}; {clock.Elapsed.TotalSeconds:F1} s; traces in {s.TraceDir}, readable views in {s.ViewDir})"));
        if (errors.Count > 0)
        {
            stdout.WriteLine($"verify: {errors.Count} of {cells.Count} cells are model errors, not verdicts (the model threw); the document marks them. Fix the model and run `{s.Command}` again.");
            return ExitCode.Error;
        }

        return ExitCode.Success;
    }

    /// <summary><c>Variant.Scenario.Property</c>: the last three parts of a test's name.</summary>
    /// <summary>One phase of a cell's or a search group's stateful search: its strategy and state bound, with the command's seed and memory bound.</summary>
    private static Configuration SearchConfiguration(string strategy, long states, Settings s) =>
        Configuration.Create()
            .WithStrategy(strategy, 0)
            .WithRandomGeneratorSeed(s.Seed)
            .WithMaxStates(states)
            .WithMaxMemory(s.MaxMemory);

    private static string CellName(TestCase test) => string.Join('.', test.FullName.Split('.')[^3..]);

    private static Cell CellOf(TestCase test)
    {
        string name = CellName(test);
        string[] parts = name.Split('.');
        return new Cell(name, parts[0], parts[1], parts[2]);
    }

    /// <summary>
    /// The key of the cell's search group: cells with equal keys are searched together. Null for a
    /// cell searched on its own (the protocol groups it with no other, or has no body for a group).
    /// The harness adds to the protocol's key the variant, scenario and the other settings a search
    /// takes from the cell, so only cells whose own searches would be the same configuration share one.
    /// </summary>
    private static string? GroupKey(Protocol protocol, Cell cell) =>
        protocol.SearchGroup(cell.Name) is string group && protocol.SearchBody(cell.Variant, cell.Scenario, [cell.Property]) is not null
            ? string.Create(CultureInfo.InvariantCulture, $"{cell.Variant}.{cell.Scenario}\n{group}\n{protocol.ExhaustiveStateBound(cell.Name)}\n{protocol.SampleStepBound(cell.Name)}")
            : null;

    private static bool Grouped(Protocol protocol, Cell cell) => GroupKey(protocol, cell) is not null;

    /// <summary>A cell of a search group; only the selected ones (-m) are reported.</summary>
    private sealed record Member(TestCase Test, Cell Cell, bool Selected);

    /// <summary>
    /// --exhaustive: settles the selected cells group by group (<see cref="Protocol.SearchGroup"/>),
    /// each group's cells taken from the whole protocol whatever -m selects, so that a cell reads the
    /// same in a run of some cells as in the run of all; a cell in no group is settled on its own as
    /// with --search-per-cell. Adds the selected cells' verdicts to <paramref name="cells"/> in the
    /// order of <paramref name="selected"/>; stops early on a stop request.
    /// </summary>
    private static void SettleByGroups(IReadOnlyList<TestCase> protocolTests, List<TestCase> selected, Protocol protocol, Settings s, List<string> errors, TextWriter stdout, List<Verdict> cells)
    {
        var chosen = selected.Select(CellName).ToHashSet(StringComparer.Ordinal);
        var groups = new Dictionary<string, List<Member>>(StringComparer.Ordinal);
        foreach (TestCase test in protocolTests)
        {
            Cell cell = CellOf(test);
            if (GroupKey(protocol, cell) is string key)
            {
                if (!groups.TryGetValue(key, out List<Member>? members))
                {
                    groups[key] = members = [];
                }

                members.Add(new Member(test, cell, chosen.Contains(cell.Name)));
            }
        }

        var units = new List<List<Member>>();
        var scheduled = new HashSet<string>(StringComparer.Ordinal);
        foreach (TestCase test in selected)
        {
            Cell cell = CellOf(test);
            string? key = GroupKey(protocol, cell);
            if (key is null)
            {
                units.Add([new Member(test, cell, true)]);
            }
            else if (scheduled.Add(key))
            {
                units.Add(groups[key].OrderBy(m => m.Cell.Name, StringComparer.Ordinal).ToList());
            }
        }

        var results = new Dictionary<string, Verdict>(StringComparer.Ordinal);
        for (int i = 0; i < units.Count && !StopRequest.IsRequested; i++)
        {
            List<Member> unit = units[i];
            int reported = unit.Count(m => m.Selected);
            s.Label = string.Create(CultureInfo.InvariantCulture, $"[{i + 1}/{units.Count}] {unit[0].Cell.Variant}.{unit[0].Cell.Scenario} ({reported} of {unit.Count} cells): ");
            if (!SettleGroup(unit, protocol, s, errors, stdout, results))
            {
                break;
            }
        }

        cells.AddRange(selected.Select(CellName).Where(results.ContainsKey).Select(n => results[n]));
    }

    /// <summary>
    /// Settles the selected cells of one search group (a variant x scenario whose cells share a
    /// configuration) by searching them together: one search with the monitors of every cell still
    /// open, in the phases of <see cref="Phases"/>. An exhausted search settles every open cell with
    /// its state count. A violation's trace is replayed in each open cell's own test (one property; the
    /// monitors only observe, so the schedule is the same); every cell it violates there gets that
    /// trace and step, and the rest are searched again in the same phase, so a violation of one
    /// property hides no other. If no cell reproduces it (or the search throws), the open cells are
    /// settled one by one as with --search-per-cell. A phase stopped by its bound passes the open cells
    /// to the next, and the last to sampling, cell by cell. The searches go on while a selected cell is
    /// open, whatever else -m selected, so a selected cell gets the same sequence of searches in every
    /// run. False when a stop request ended the run.
    /// </summary>
    /// <remarks>
    /// Breadth-first, each cell's counterexample is still a shortest one. Monitors only observe, so a
    /// path of the shared search and the same decisions in one cell's search pass the same model
    /// states, and the shared search reaches a combination of model and monitor states at depth d
    /// exactly when each cell's search reaches its part of it at depth d. The shared search expands
    /// states in order of depth and checks every open monitor at each, so the first violation it
    /// finds, at depth d, is at the least depth at which any open cell is violated; a cell its trace
    /// violates on replay is violated at depth d there too (the replay ends with the trace, and an
    /// earlier violation of that cell on the path would have been found first), so d is that cell's
    /// least depth. The cells left open are not violated above depth d, and the next search, with
    /// their monitors only, finds the least depth of the next one. A lasso (liveness) is a cycle of
    /// the shared states whose projection is a cycle of each cell's, with a monitor hot throughout:
    /// the replay checks that for each cell.
    /// </remarks>
    private static bool SettleGroup(List<Member> members, Protocol protocol, Settings s, List<string> errors, TextWriter stdout, Dictionary<string, Verdict> results)
    {
        Member first = members[0];
        long bound = StateBound(protocol, first.Cell.Name, s.MaxStates);
        if (members.Count == 1 || bound <= Protocol.SampleOnly)
        {
            return SettleEach(members, protocol, s, errors, stdout, results);
        }

        var open = members.ToList();
        string group = $"{first.Cell.Variant}.{first.Cell.Scenario}";
        Search? search = null;
        string note = string.Empty;
        foreach ((string strategy, long states) in Phases(first.Cell, protocol, s, bound))
        {
            while (open.Any(m => m.Selected))
            {
                if (StopRequest.IsRequested)
                {
                    return false;
                }

                TestCase test = open.Count == 1 ? open[0].Test : GroupTest(open, protocol);
                TestingEngine engine = Runner.Explore(test, SearchConfiguration(strategy, states, s), s.Live, s.Label);
                TestReport r = engine.TestReport;
                search = new Search(r);
                string together = open.Count == 1 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"; one search of {open.Count} cells");
                string time = string.Create(CultureInfo.InvariantCulture, $"{r.Elapsed.TotalSeconds:F1} s{together}");
                string how = string.Create(CultureInfo.InvariantCulture, $"{strategy}, {r.StateSpace?.States ?? 0:N0} states, {time}");
                if (ModelError.Is(r))
                {
                    if (open.Count == 1)
                    {
                        results[open[0].Cell.Name] = ModelErrorCell(engine, open[0].Cell, s, errors, stdout) with { Search = search };
                        return true;
                    }

                    stdout.WriteLine($"{group}: the search of {string.Join(", ", open.Select(m => m.Cell.Property))} threw; its cells are searched one by one");
                    return SettleEach(open, protocol, s, errors, stdout, results);
                }

                if (r.Interrupted && r.Bug is null)
                {
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{group,-70} {note}interrupted after {r.StateSpace!.States:N0} states (not a verdict)"));
                    return false;
                }

                if (r.Bug is not null)
                {
                    var hit = new List<Member>();
                    foreach (Member m in open)
                    {
                        if (open.Count == 1)
                        {
                            results[m.Cell.Name] = new Verdict(m.Cell, r, WriteTrace(engine, m.Cell, s), IsModelError: false) { Search = search, Lasso = LassoOf(engine.BugTrace) };
                            stdout.WriteLine($"{m.Cell.Name,-70} {note}violated: {r.Bug.Kind} ({how})");
                            hit.Add(m);
                        }
                        else if (Attribute(engine.BugTrace!, m, s) is (BugReport bug, Trace trace, var path))
                        {
                            hit.Add(m);
                            if (m.Selected)
                            {
                                results[m.Cell.Name] = new Verdict(m.Cell, r, path, IsModelError: false) { Search = search, OwnBug = bug, Lasso = LassoOf(trace) };
                                stdout.WriteLine($"{m.Cell.Name,-70} {note}violated: {bug.Kind} ({how})");
                            }
                        }
                    }

                    if (hit.Count == 0)
                    {
                        stdout.WriteLine($"{group}: the counterexample of the search of {string.Join(", ", open.Select(m => m.Cell.Property))} ({r.Bug.Kind}) violates none of them alone on replay; its cells are searched one by one");
                        return SettleEach(open, protocol, s, errors, stdout, results);
                    }

                    open.RemoveAll(hit.Contains);
                    continue;
                }

                if (search.Exhausted)
                {
                    foreach (Member m in open.Where(m => m.Selected))
                    {
                        results[m.Cell.Name] = new Verdict(m.Cell, r, null, IsModelError: false) { Search = search };
                        stdout.WriteLine($"{m.Cell.Name,-70} {note}exhausted: {r.StateSpace!.States:N0} states ({strategy}, {time})");
                    }

                    return true;
                }

                note += string.Create(CultureInfo.InvariantCulture, $"{strategy} not exhausted at {r.StateSpace!.States:N0} states{(r.StateSpace.MemoryBound ? " (memory bound)" : string.Empty)} ({time}); ");
                break;
            }
        }

        foreach (Member m in open.Where(m => m.Selected))
        {
            if (Sample(m.Test, m.Cell, protocol, s, search, errors, stdout, note + "sampled: ") is not Verdict v)
            {
                return false;
            }

            results[m.Cell.Name] = v;
        }

        return true;
    }

    /// <summary>Settles the selected cells of <paramref name="members"/> one by one, each by its own search (<see cref="Settle"/>); false when a stop request ended the run.</summary>
    private static bool SettleEach(List<Member> members, Protocol protocol, Settings s, List<string> errors, TextWriter stdout, Dictionary<string, Verdict> results)
    {
        foreach (Member m in members.Where(m => m.Selected))
        {
            if (StopRequest.IsRequested || Settle(m.Test, m.Cell, protocol, s, errors, stdout) is not Verdict v)
            {
                return false;
            }

            results[m.Cell.Name] = v;
        }

        return true;
    }

    /// <summary>The test of a group's open cells: the first one's, with the protocol's body checking all their properties.</summary>
    private static TestCase GroupTest(List<Member> open, Protocol protocol)
    {
        Cell cell = open[0].Cell;
        List<string> properties = open.Select(m => m.Cell.Property).ToList();
        Action<IActorRuntime> body = (open[0].Test.Parameters.Count > 0
                ? protocol.Parameters?.Build(cell.Name, open[0].Test.Parameters, properties)
                : protocol.SearchBody(cell.Variant, cell.Scenario, properties))
            ?? throw new InvalidOperationException($"{protocol.Name} groups {cell.Name} but has no body for a group.");
        return open[0].Test.WithParameters(
            r =>
            {
                body(r);
                return null;
            },
            open[0].Test.Parameters);
    }

    /// <summary>
    /// Replays a shared search's counterexample in the cell's own test. When the cell's monitor
    /// fails on it: the cell's bug, and its trace (the same decisions, under the cell's name and bug),
    /// written to the traces directory for a selected cell after a replay of the trace as written
    /// confirms it (its path; null for a cell not selected). Null when the cell is not violated there.
    /// </summary>
    private static (BugReport Bug, Trace Trace, string? Path)? Attribute(Trace found, Member m, Settings s)
    {
        Trace probe = found with { Test = m.Test.FullName, Parameters = m.Test.Parameters, Bug = null };
        TestReport replayed = Runner.Replay(m.Test, probe).TestReport;
        if (replayed.Bug is not BugReport bug || replayed.Divergence is not null || replayed.Error is not null)
        {
            return null;
        }

        Trace own = probe with { Bug = bug.Summary.ReplaceLineEndings(" ") };
        if (!m.Selected)
        {
            return (bug, own, null);
        }

        TestingEngine confirm = Runner.Replay(m.Test, own);
        if (confirm.TestReport.Bug is null || confirm.TestReport.Divergence is not null)
        {
            return null;
        }

        Directory.CreateDirectory(s.TraceDir);
        string path = Path.Combine(s.TraceDir, m.Cell.Name + ".trace");
        TraceWriter.WriteFile(path, own);
        confirm.TryEmitReports(s.ViewDir, m.Cell.Name, out _);
        return (bug, own, path);
    }

    /// <summary>
    /// --exhaustive: searches the cell's state space within its bound. A violation or an exhausted
    /// space settles the cell; a search stopped by its bound, or a cell the protocol opts out, is
    /// sampled as without --exhaustive. Null when a stop request ended the run.
    /// </summary>
    private static Verdict? Settle(TestCase test, Cell cell, Protocol protocol, Settings s, List<string> errors, TextWriter stdout)
    {
        long bound = StateBound(protocol, cell.Name, s.MaxStates);
        if (bound <= Protocol.SampleOnly)
        {
            return Sample(test, cell, protocol, s, new Search(null), errors, stdout, "not searched (the protocol samples it); ");
        }

        Search? search = null;
        string note = string.Empty;
        foreach ((string strategy, long states) in Phases(cell, protocol, s, bound))
        {
            TestingEngine engine = Runner.Explore(test, SearchConfiguration(strategy, states, s), s.Live, s.Label);
            TestReport r = engine.TestReport;
            search = new Search(r);
            string time = string.Create(CultureInfo.InvariantCulture, $"{r.Elapsed.TotalSeconds:F1} s");
            if (ModelError.Is(r))
            {
                return ModelErrorCell(engine, cell, s, errors, stdout) with { Search = search };
            }

            if (r.Interrupted && r.Bug is null)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cell.Name,-70} {note}interrupted after {r.StateSpace!.States:N0} states (not a verdict)"));
                return null;
            }

            if (r.Bug is not null)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cell.Name,-70} {note}violated: {r.Bug.Kind} ({strategy}, {r.StateSpace!.States:N0} states, {time})"));
                return new Verdict(cell, r, WriteTrace(engine, cell, s), IsModelError: false) { Search = search, Lasso = LassoOf(engine.BugTrace) };
            }

            if (search.Exhausted)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cell.Name,-70} {note}exhausted: {r.StateSpace!.States:N0} states ({strategy}, {time})"));
                return new Verdict(cell, r, null, IsModelError: false) { Search = search };
            }

            note += string.Create(CultureInfo.InvariantCulture, $"{strategy} not exhausted at {r.StateSpace!.States:N0} states{(r.StateSpace.MemoryBound ? " (memory bound)" : string.Empty)} ({time}); ");
        }

        return Sample(test, cell, protocol, s, search, errors, stdout, note + "sampled: ");
    }

    /// <summary>The states a search of <paramref name="cell"/> may visit: <paramref name="limit"/>, or the protocol's own bound for the cell where that is smaller.</summary>
    private static long StateBound(Protocol protocol, string cell, long limit) =>
        protocol.ExhaustiveStateBound(cell) is long own ? Math.Min(own, limit) : limit;

    /// <summary>
    /// The searches of a cell, in order, each with its bound on distinct states: the -s search
    /// within the cell's bound, then (with --dfs-max-states, after a breadth-first search) a
    /// depth-first one within the larger bound, unless the protocol bounds the cell below it.
    /// </summary>
    private static IEnumerable<(string Strategy, long States)> Phases(Cell cell, Protocol protocol, Settings s, long bound)
    {
        yield return (s.SearchStrategy, bound);
        long deeper = StateBound(protocol, cell.Name, s.DfsMaxStates);
        if (s.SearchStrategy == "stateful-bfs" && deeper > bound)
        {
            yield return ("stateful-dfs", deeper);
        }
    }

    /// <summary>The cell's sampling campaign (the fair portfolio or the protocol's strategy for the cell, the cell's iterations, --seed); null when a stop request ended it.</summary>
    private static Verdict? Sample(TestCase test, Cell cell, Protocol protocol, Settings s, Search? search, List<string> errors, TextWriter stdout, string note = "")
    {
        Configuration config = Configuration.Create()
            .WithTestingIterations((uint)protocol.SampleIterations(cell.Name, s.Iterations))
            .WithRandomGeneratorSeed(s.Seed);
        if (protocol.SampleStepBound(cell.Name, s.Params) is int steps)
        {
            config.WithMaxSchedulingSteps((uint)steps, (uint)steps);
        }

        string? strategy = null;
        if (protocol.SampleStrategy(cell.Name) is (string name, int bound))
        {
            config = config.WithStrategy(name, bound);
            strategy = string.Create(CultureInfo.InvariantCulture, $"{name}({bound})");
        }

        TestingEngine engine = Runner.Explore(test, config, s.Live, s.Label);
        TestReport r = engine.TestReport;
        if (ModelError.Is(r))
        {
            return ModelErrorCell(engine, cell, s, errors, stdout) with { Search = search };
        }

        string? trace = r.Bug is not null ? WriteTrace(engine, cell, s) : null;
        if (r.Interrupted && r.Bug is null)
        {
            stdout.WriteLine($"{cell.Name,-70} {note}interrupted after {r.Iterations} iterations (not a verdict)");
            return null;
        }

        stdout.WriteLine($"{cell.Name,-70} {note}{(r.Bug is null ? "held" : "violated: " + r.Bug.Kind)}{(strategy is null ? string.Empty : " (" + strategy + ")")}");
        return new Verdict(cell, r, trace, IsModelError: false) { Search = search, Strategy = strategy };
    }

    private static Verdict ModelErrorCell(TestingEngine engine, Cell cell, Settings s, List<string> errors, TextWriter stdout)
    {
        string message = ModelError.Describe(engine, s.ViewDir);
        errors.Add(message);
        stdout.WriteLine($"{cell.Name,-70} MODEL ERROR (not a verdict): {message}");
        return new Verdict(cell, engine.TestReport, null, IsModelError: true);
    }

    /// <summary>Writes the counterexample's trace to the traces directory (only the trace is a source of truth; replay regenerates its views) and its views to the view directory.</summary>
    private static string? WriteTrace(TestingEngine engine, Cell cell, Settings s)
    {
        if (engine.BugTrace is not Trace bugTrace)
        {
            return null;
        }

        Directory.CreateDirectory(s.TraceDir);
        string trace = Path.Combine(s.TraceDir, cell.Name + ".trace");
        TraceWriter.WriteFile(trace, bugTrace);
        engine.TryEmitReports(s.ViewDir, cell.Name, out _);
        return trace;
    }

    /// <summary>The steps before a lasso's loop and in it, or null for a trace that is no lasso.</summary>
    private static (int Stem, int Loop)? LassoOf(Trace? trace)
    {
        if (trace?.LoopStart is not int start)
        {
            return null;
        }

        int stem = trace.Decisions.Take(start).Count(d => d.Kind == DecisionKind.Schedule);
        int loop = trace.Decisions.Skip(start).Count(d => d.Kind == DecisionKind.Schedule);
        return (stem, loop);
    }

    private sealed record Cell(string Name, string Variant, string Scenario, string Property);

    /// <summary>
    /// One cell of the document. <see cref="Report"/> is the campaign that decided it: the search,
    /// or the sampling campaign where the search did not settle it or there was none.
    /// </summary>
    private sealed record Verdict(Cell Cell, TestReport Report, string? Trace, bool IsModelError)
    {
        /// <summary>With --exhaustive: the cell's search (its report, null when the protocol opts the cell out); null without.</summary>
        internal Search? Search { get; init; }

        /// <summary>A violation the search found as a fair lasso: its steps before the loop and in it.</summary>
        internal (int Stem, int Loop)? Lasso { get; init; }

        /// <summary>The cell's own violation where it differs from <see cref="Report"/>'s: a shared search's counterexample replayed in the cell's test.</summary>
        internal BugReport? OwnBug { get; init; }

        /// <summary>The cell's violation, null when it holds.</summary>
        internal BugReport? Bug => OwnBug ?? Report.Bug;

        /// <summary>The protocol's sampling strategy for the cell as `name(bound)`; null for the fair portfolio.</summary>
        internal string? Strategy { get; init; }

        /// <summary>The search settled the cell: it found the violation or exhausted the space.</summary>
        internal bool BySearch => Search?.Report is { } r && ReferenceEquals(r, Report);

        /// <summary>With --exhaustive, a cell the sampling campaign decided.</summary>
        internal bool IsSample => Search is not null && !BySearch && !IsModelError;
    }

    /// <summary>The stateful search of a cell: its report, null when the protocol opts the cell out.</summary>
    private sealed record Search(TestReport? Report)
    {
        internal bool Exhausted => Report is { Bug: null, Exhausted: true };
    }

    /// <summary>The command's settings, its defaults resolved, and the command line that reproduces the document.</summary>
    private sealed record Settings(
        string ProtocolName,
        int Iterations,
        ulong Seed,
        bool Exhaustive,
        string SearchStrategy,
        long MaxStates,
        long DfsMaxStates,
        bool SearchPerCell,
        long MaxMemory,
        string? MaxMemoryText,
        IReadOnlyList<string> Filters,
        IReadOnlyList<KeyValuePair<string, string>> Params,
        string DocSlug,
        string OutFile,
        string TraceDir,
        string ViewDir)
    {
        /// <summary>The live line on a terminal (null when the output is redirected).</summary>
        internal Progress? Live { get; init; }

        /// <summary>The cell the live line is about: "[3/40] Variant.Scenario.Property: ".</summary>
        internal string Label { get; set; } = string.Empty;

        internal static Settings Parse(Options o, Protocol protocol)
        {
            bool exhaustive = o.Has("exhaustive");
            foreach (string only in new[] { "search", "max-states", "dfs-max-states", "max-memory", "search-per-cell" })
            {
                if (!exhaustive && o.Has(only))
                {
                    throw new UsageException($"--{only} applies to the search of --exhaustive; add --exhaustive, or leave --{only} out.");
                }
            }

            string search = o.String("search") ?? "stateful-bfs";
            if (search is not ("stateful-bfs" or "stateful-dfs"))
            {
                throw new UsageException($"-s {search}: --exhaustive searches with stateful-bfs (the default) or stateful-dfs.");
            }

            if (o.Has("dfs-max-states") && search != "stateful-bfs")
            {
                throw new UsageException("--dfs-max-states searches again depth-first where the breadth-first search stopped; with -s stateful-dfs raise --max-states instead.");
            }

            IReadOnlyList<string> filters = o.Strings("cells");
            foreach (string f in filters)
            {
                if (f.Length == 0 || f.Split('.').Any(part => part.Length == 0) || f.Contains(' ', StringComparison.Ordinal))
                {
                    throw new UsageException($"-m '{f}' names no cells: give dot-separated parts of Variant.Scenario.Property names, e.g. C, GuestHlt or C.GuestHlt.");
                }
            }

            string docSlug = protocol.Slug + (exhaustive ? "-exhaustive" : string.Empty);
            string viewDir = Path.Combine(o.String("outdir") ?? "verify-out", docSlug);
            IReadOnlyList<KeyValuePair<string, string>> parameters = ScenarioParams.Parse(o.Strings("param"));

            // Some cells, or another configuration than the minimal one: not the committed document.
            bool some = filters.Count > 0 || parameters.Count > 0;
            return new Settings(
                protocol.Name,
                o.Int("iterations", 1000, 1),
                o.ULong("seed") ?? 0,
                exhaustive,
                search,
                o.Long("max-states", DefaultMaxStates, 1),
                o.Long("dfs-max-states", 0, 1),
                o.Has("search-per-cell"),
                o.Bytes("max-memory", Options.DefaultMaxMemory),
                o.String("max-memory"),
                filters,
                parameters,
                docSlug,
                o.String("out") ?? (some ? Path.Combine("verify-out", docSlug + "-verdicts.md") : Path.Combine("docs", docSlug + "-verdicts.md")),
                o.String("traces") ?? (some ? Path.Combine(viewDir, "traces") : Path.Combine("traces", docSlug)),
                viewDir);
        }

        /// <summary>What every cell runs: its minimal configuration, with the command's parameters.</summary>
        internal string Configuration => Params.Count == 0
            ? "the minimal configuration"
            : $"the minimal configuration with {ScenarioParams.Show(Params)} (`--param`)";

        /// <summary>Whether the cell runs: every cell without -m, else those that some -m's parts name, as whole parts in order.</summary>
        internal bool Selects(string cell) =>
            Filters.Count == 0 || Filters.Any(f => ("." + cell + ".").Contains("." + f + ".", StringComparison.Ordinal));

        /// <summary>The command the document's header names; its output depends on nothing else (but a memory bound reached).</summary>
        internal string Command
        {
            get
            {
                var c = CultureInfo.InvariantCulture;
                var sb = new StringBuilder("verify verdicts ").Append(ProtocolName);
                if (Exhaustive)
                {
                    sb.Append(c, $" --exhaustive -s {SearchStrategy} --max-states {MaxStates}");
                    if (DfsMaxStates > 0)
                    {
                        sb.Append(c, $" --dfs-max-states {DfsMaxStates}");
                    }

                    if (MaxMemoryText is not null)
                    {
                        sb.Append(" --max-memory ").Append(MaxMemoryText);
                    }

                    if (SearchPerCell)
                    {
                        sb.Append(" --search-per-cell");
                    }
                }

                foreach ((string name, string value) in Params)
                {
                    sb.Append(" --param ").Append(name).Append('=').Append(value);
                }

                foreach (string f in Filters)
                {
                    sb.Append(" -m ").Append(f);
                }

                return sb.Append(c, $" -i {Iterations} --seed {Seed}").ToString();
            }
        }
    }

    private static string Render(string prefix, List<Verdict> cells, Settings s, bool ownBudgets, string docDir, List<string> ownStepBounds, Protocol? shared)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"# {prefix} verdicts\n\n");
        sb.Append(c, $"Generated by `{s.Command}`; do not edit by hand.\n\n");
        if (s.Exhaustive)
        {
            Explain(sb, cells, s, shared);
        }
        else
        {
            sb.Append(c, $"Each cell is one campaign of the default fair portfolio on {s.Configuration}. ");
            sb.Append("**violated** links the counterexample's reproducible trace (replay it with `verify replay <trace>`); ");
            sb.Append(c, $"**held** means no violation in {s.Iterations} iterations, each bounded by the model's clock ");
            sb.Append("(time stops after its last tick) and the step bound; the cell gives the longest run in steps. It is a bounded claim, not a proof.\n");
            if (ownBudgets)
            {
                sb.Append(c, $"\nThe protocol samples some cells with another budget than {s.Iterations} iterations (races that need more schedules), or with one strategy of its choice instead of the portfolio; a cell gives the iterations it ran and names such a strategy with its bound.\n");
            }
        }

        if (ownStepBounds.Count > 0)
        {
            sb.Append(c, $"\nThe protocol samples the cells of some scenarios with a step bound of its own, as their runs need not end (a busy loop that goes on after the clock stopped): {string.Join("; ", ownStepBounds)}. A run of such a cell that reaches it ends there (a held cell then gives the bound as its longest run), and a fair run whose monitor stays hot for half of it is a liveness violation.\n");
        }

        int modelErrors = cells.Count(v => v.IsModelError);
        if (modelErrors > 0)
        {
            sb.Append(c, $"\n**Not a valid verdict table: {modelErrors} cells are model errors** (the model threw an exception, which says nothing about the protocol). Fix the model and regenerate.\n");
        }

        string[] scenarios = cells.Select(v => v.Cell.Scenario).Distinct().ToArray();
        foreach (IGrouping<string, Verdict> property in cells.GroupBy(v => v.Cell.Property))
        {
            sb.Append(c, $"\n## {property.Key}\n\n");
            sb.Append("| variant | ").Append(string.Join(" | ", scenarios)).Append(" |\n");
            sb.Append("|---|").Append(string.Concat(scenarios.Select(_ => "---|"))).Append('\n');
            foreach (IGrouping<string, Verdict> variant in property.GroupBy(v => v.Cell.Variant))
            {
                sb.Append("| ").Append(variant.Key).Append(" |");
                foreach (string scenario in scenarios)
                {
                    Verdict? v = variant.FirstOrDefault(x => x.Cell.Scenario == scenario);
                    sb.Append(' ').Append(v is null ? "-" : CellText(v, docDir)).Append(" |");
                }

                sb.Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>The header of an --exhaustive document: what its cells claim, and which are proofs within bounds and which samples.</summary>
    private static void Explain(StringBuilder sb, List<Verdict> cells, Settings s, Protocol? shared)
    {
        var c = CultureInfo.InvariantCulture;
        string order = s.SearchStrategy == "stateful-bfs" ? "breadth-first, so a counterexample has the fewest steps" : "depth-first";
        sb.Append(c, $"Each cell is first a stateful search (`{s.SearchStrategy}`, {order}) of {s.Configuration}: every scheduling decision and every random answer, each distinct state expanded once, ");
        sb.Append(c, $"within the step bound and at most {s.MaxStates:N0} distinct states (or the smaller bound the protocol sets for the cell). ");
        if (s.DfsMaxStates > s.MaxStates)
        {
            sb.Append(c, $"A cell whose breadth-first search reached that bound is searched again depth-first (`stateful-dfs`, far less memory per state) within {s.DfsMaxStates:N0} distinct states: exhausted there is the same proof, and a violation found there has a trace that is not the shortest. ");
        }

        sb.Append("Hot monitors are judged at terminal states and on fair cycles: a liveness violation is a lasso, a loop on which the monitor stays hot and every enabled actor runs. ");
        sb.Append("**exhausted: N states** is a proof within those bounds: no reachable state of the configuration violates the property. ");
        sb.Append("**violated** links the counterexample's reproducible trace (replay it with `verify replay <trace>`). ");
        sb.Append(c, $"Where the search reached its bound (**not exhausted at N states**), or the protocol does not search the cell, the cell is a sample: one campaign of the default fair portfolio, {s.Iterations} iterations, seed {s.Seed}, where **held** means no violation in those iterations, a bounded claim, not a proof.\n\n");
        if (shared is not null)
        {
            sb.Append("The cells of one variant x scenario share one search, with the monitors of all their properties at once (monitors only observe, so every schedule is the one a search of a single property takes): ");
            sb.Append("an exhausted cell gives the state count of the search that exhausted it, the same for every cell that search settled, and a sampled cell the count at which its group's search reached the bound. ");
            sb.Append("A violation the search finds is replayed in each cell's own configuration (that property alone); each cell it violates there gets that trace, under the cell's name, and its step, and the search runs again with the monitors of the cells left, so a violation of one property hides no other. ");
            if (s.SearchStrategy == "stateful-bfs")
            {
                sb.Append("Breadth-first, the first violation a shared search finds is at the fewest steps at which any of its properties is violated, so each counterexample is still a shortest one for its cell. ");
            }

            if (shared.SearchGroupRule is string rule)
            {
                sb.Append(rule).Append(' ');
            }

            sb.Append("If a shared counterexample violates none of its cells alone (only a model that is not deterministic, or a monitor that changes what it observes, can cause that), the cells left are searched one by one; a cell the protocol samples never shares a search.\n\n");
        }

        int exhausted = cells.Count(v => v.Search?.Exhausted == true);
        int violatedBySearch = cells.Count(v => v.BySearch && v.Bug is not null && !v.IsModelError);
        List<Verdict> samples = cells.Where(v => v.IsSample).ToList();
        sb.Append(c, $"Proofs within bounds: {exhausted} of {cells.Count} cells exhausted; {violatedBySearch} violated by the search. ");
        if (samples.Count == 0)
        {
            sb.Append("Samples: none.\n");
            return;
        }

        sb.Append(c, $"Samples: {samples.Count} cells: ");
        sb.Append(string.Join(", ", samples.Select(v => $"{v.Cell.Name} ({SampleReason(v.Search!)})")));
        sb.Append(".\n");
    }

    /// <summary>Why a cell was sampled: its search's bound, or the protocol's choice.</summary>
    private static string SampleReason(Search search) =>
        search.Report?.StateSpace is not StateSpaceReport space
            ? "not searched: the protocol samples it"
            : string.Create(CultureInfo.InvariantCulture, $"not exhausted at {space.States:N0} states{(space.MemoryBound ? ", memory bound" : string.Empty)}");

    private static string CellText(Verdict v, string docDir)
    {
        TestReport r = v.Report;
        if (v.IsModelError)
        {
            return "**model error**, not a verdict (the model threw; see the `verify verdicts` output)";
        }

        string? link = v.Trace is null ? null : Path.GetRelativePath(docDir, Path.GetFullPath(v.Trace)).Replace('\\', '/');
        if (v.BySearch)
        {
            StateSpaceReport space = r.StateSpace!;
            if (v.Bug is not BugReport bug)
            {
                return space.BoundCutStates == 0
                    ? string.Create(CultureInfo.InvariantCulture, $"exhausted: {space.States:N0} states")
                    : string.Create(CultureInfo.InvariantCulture, $"exhausted: {space.States:N0} states within {space.DepthBound:N0} steps");
            }

            return v.Lasso is (int stem, int loop)
                ? string.Create(CultureInfo.InvariantCulture, $"**violated** [fair lasso: {stem} steps, then a loop of {loop}]({link})")
                : string.Create(CultureInfo.InvariantCulture, $"**violated** [search, step {bug.Step}]({link})");
        }

        string sampled = r.Bug is null
            ? string.Create(CultureInfo.InvariantCulture, $"held ({r.Iterations} it, {(v.Strategy is null ? string.Empty : v.Strategy + ", ")}<= {r.MaxSteps} steps)")
            : string.Create(CultureInfo.InvariantCulture, $"**violated** [it {r.BugIteration}, {(v.Strategy is null ? string.Empty : v.Strategy + ", ")}step {r.Bug.Step}]({link})");
        return v.Search is null ? sampled : SampleReason(v.Search) + "; " + sampled;
    }
}
