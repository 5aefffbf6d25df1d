using System.Globalization;
using System.Reflection;
using Verify.Actors;
using Verify.SystematicTesting;

namespace Verify.Protocols;

/// <summary>
/// One protocol model, as the command line sees it. Each protocol subclasses this once (a public
/// sealed class with a parameterless constructor) and the harness finds it by reflection, so
/// `verify verdicts`, `verify stats` and `verify bench` name no protocol.
/// </summary>
public abstract class Protocol
{
    /// <summary>The test-name segment of its scenarios: its tests are the built-in ones whose full name has <c>.{Name}.</c> in it, ending in <c>Variant.Scenario.Property</c>.</summary>
    public abstract string Name { get; }

    /// <summary>File-name form: <c>docs/{Slug}-verdicts.md</c>, <c>docs/{Slug}-statistics.md</c>, <c>traces/{Slug}/</c>.</summary>
    public abstract string Slug { get; }

    /// <summary>The parameters `verify stats` uses when none are given; null when the protocol has no statistics.</summary>
    public virtual StatisticsOptions? StatisticsDefaults => null;

    /// <summary>
    /// How far `verify verdicts --exhaustive` searches the cell <paramref name="cell"/>
    /// (<c>Variant.Scenario.Property</c>) before it falls back to sampling: at most this many distinct
    /// states (the smaller of this and <c>--max-states</c> applies); null, the default, for no bound of
    /// the protocol's own; <see cref="SampleOnly"/> for a cell that is sampled without a search (a
    /// model whose state cannot be hashed, or a cell known to be far beyond any bound).
    /// </summary>
    public virtual long? ExhaustiveStateBound(string cell) => null;

    /// <summary>
    /// The iterations `verify verdicts` samples the cell <paramref name="cell"/> with, given the
    /// command's <paramref name="iterations"/> (-i): -i itself by default; a protocol raises it for the
    /// cells whose races need more schedules than the rest of its table.
    /// </summary>
    public virtual int SampleIterations(string cell, int iterations) => iterations;

    /// <summary>
    /// The step bound (unfair and fair alike) `verify verdicts` and `verify check` sample the cell
    /// <paramref name="cell"/> with: null, the default, for the engine's; a protocol sets one for the
    /// cells whose runs need not end (a busy loop that goes on after the model's clock stopped), where
    /// every run would otherwise take the engine's bound. A fair run whose monitor stays hot for half
    /// of it is then the liveness violation.
    /// </summary>
    public int? SampleStepBound(string cell) => SampleStepBound(cell, []);

    /// <summary>
    /// <see cref="SampleStepBound(string)"/> for the cell run with <paramref name="parameters"/>
    /// (`verify verdicts --param`) over its minimal configuration: a bound that depends on how long
    /// the model's clock runs grows with it.
    /// </summary>
    public virtual int? SampleStepBound(string cell, IReadOnlyList<KeyValuePair<string, string>> parameters) => null;

    /// <summary>
    /// The strategy `verify verdicts` samples the cell <paramref name="cell"/> with (a name
    /// `verify test -s` takes, and its bound, e.g. ("fair-prioritization", 1)): null, the default, for
    /// the fair portfolio; a protocol names one for a cell whose race one strategy reaches and the
    /// portfolio does not within the cell's iterations. The cell's text names it.
    /// </summary>
    public virtual (string Name, int Bound)? SampleStrategy(string cell) => null;

    /// <summary>The <see cref="ExhaustiveStateBound"/> of a cell that `verify verdicts --exhaustive` samples without searching.</summary>
    public const long SampleOnly = 0;

    /// <summary>
    /// The search group of the cell <paramref name="cell"/> (<c>Variant.Scenario.Property</c>) for
    /// `verify verdicts --exhaustive`: the cells whose keys are equal are searched together, in one
    /// stateful search of <see cref="SearchBody"/> with every one of their properties' monitors, as
    /// long as their variant, scenario, <see cref="ExhaustiveStateBound"/> and
    /// <see cref="SampleStepBound"/> are the same too (the harness adds those to the key). By default
    /// every searched cell of a variant x scenario shares one group; null for a cell searched on its
    /// own, as a cell the protocol samples (<see cref="SampleOnly"/>) always is. A protocol whose
    /// configuration depends on the properties checked (its clock, a kernel parameter) must put
    /// those values in the key, so that each cell's search is the configuration of its own test.
    /// </summary>
    public virtual string? SearchGroup(string cell)
    {
        string[] parts = cell.Split('.');
        return parts.Length != 3 || ExhaustiveStateBound(cell) == SampleOnly ? null : parts[0] + "." + parts[1];
    }

    /// <summary>
    /// The test body of one variant x scenario checking several properties at once, the cells of one
    /// <see cref="SearchGroup"/>: the model's run on the minimal configuration with exactly the monitors of
    /// <paramref name="properties"/> (the cells' Property names). Null, the default, when the protocol
    /// has none: each cell is then searched on its own.
    /// </summary>
    public virtual Action<IActorRuntime>? SearchBody(string variant, string scenario, IReadOnlyList<string> properties) => null;

    /// <summary>
    /// A sentence for the exhaustive document saying which cells of a variant x scenario do not share a
    /// search (the configuration that sets them apart); null when every cell of one does.
    /// </summary>
    public virtual string? SearchGroupRule => null;

    /// <summary>Stateful-search rows for `verify bench`; none by default.</summary>
    public virtual IReadOnlyList<BenchRow> BenchRows => [];

    /// <summary>
    /// Stateful-search rows for `verify bench` under the weak memory modes (TSO, LKMM), timed after
    /// every protocol's <see cref="BenchRows"/> and the litmus tests; none by default.
    /// </summary>
    public virtual IReadOnlyList<BenchRow> MemoryModeBenchRows => [];

    /// <summary>
    /// The parameters its scenarios take on the command line (<c>--param NAME=VALUE</c>): the
    /// <see cref="IScenarioParameters"/> class in this protocol's namespace, or null when it has none.
    /// </summary>
    public IScenarioParameters? Parameters => parameters ??= GetType().Assembly.GetTypes()
        .Where(t => t.Namespace == GetType().Namespace && !t.IsAbstract && typeof(IScenarioParameters).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (IScenarioParameters)Activator.CreateInstance(t)!)
        .FirstOrDefault();

    private IScenarioParameters? parameters;

    /// <summary>Every protocol in this assembly, by name.</summary>
    public static IReadOnlyList<Protocol> All { get; } = Discover(typeof(Protocol).Assembly);

    /// <summary>The concrete subclasses of <see cref="Protocol"/> in <paramref name="assembly"/>, one instance each, in name order.</summary>
    public static IReadOnlyList<Protocol> Discover(Assembly assembly) =>
        assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Protocol)) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (Protocol)Activator.CreateInstance(t)!)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>The command that regenerates a statistics document; its header names it so a test can rerun it.</summary>
    public string StatisticsCommand(StatisticsOptions o) =>
        string.Create(CultureInfo.InvariantCulture, $"verify stats {Slug} -i {o.Runs} --seed {o.Seed} --ticks {o.Ticks}")
        + string.Concat((o.Settings ?? []).Select(s => string.Create(CultureInfo.InvariantCulture, $" --set {s.Key}={s.Value}")));

    /// <summary>
    /// The protocol's own statistics settings (`verify stats &lt;slug&gt; --set NAME=VALUE`, listed by
    /// `--settings`): whole numbers within a range, each documented by its help; none by default.
    /// </summary>
    public virtual IReadOnlyList<StatisticsSetting> StatisticsSettings => [];

    /// <summary>
    /// Runs the statistics campaign: writes the console tables to <paramref name="console"/> and
    /// returns the Markdown document, whose header line names <see cref="StatisticsCommand"/>.
    /// A run that stops on a bug or an error throws <see cref="RunStoppedException"/>.
    /// </summary>
    public virtual string WriteStatistics(StatisticsOptions options, TextWriter console) =>
        throw new NotSupportedException($"{Name} has no statistics.");

    /// <summary>Runs one statistics campaign and throws <see cref="RunStoppedException"/> if it did not run to the end (a bug, an error, or a stop request).</summary>
    protected static TestReport RunToEnd(TestingEngine engine)
    {
        engine.Run();
        TestReport r = engine.TestReport;
        if (r.Bug is not null || r.Error is not null || r.Interrupted)
        {
            throw new RunStoppedException(engine);
        }

        return r;
    }

    /// <summary>A Markdown table with aligned columns, readable as plain text on a terminal too.</summary>
    protected static void WriteTable(TextWriter w, IReadOnlyList<string> header, IReadOnlyList<string[]> rows) =>
        MarkdownTable.Write(w, header, rows);

    /// <summary>
    /// `verify stats` parameters: random runs per configuration, the run seed, jiffies per run, and
    /// the protocol's settings given with --set (in the order given; none: the protocol's defaults).
    /// </summary>
    public sealed record StatisticsOptions(int Runs, ulong Seed, int Ticks, IReadOnlyList<KeyValuePair<string, int>>? Settings = null)
    {
        /// <summary>The value given for setting <paramref name="name"/>, or null when it was not given.</summary>
        public int? Setting(string name)
        {
            int? value = null;
            foreach (KeyValuePair<string, int> s in Settings ?? [])
            {
                if (s.Key == name)
                {
                    value = s.Value;
                }
            }

            return value;
        }
    }

    /// <summary>A statistics setting: its name, the whole numbers it takes, and what it sets (with its default).</summary>
    public sealed record StatisticsSetting(string Name, int Min, int Max, string Help);

    /// <summary>
    /// A stateful search `verify bench` times: <paramref name="Model"/> names it in the table,
    /// <paramref name="Search"/> is a strategy name (stateful-dfs, stateful-bfs), and the row must
    /// end in a bug when <paramref name="ExpectBug"/>, else in an exhausted space.
    /// </summary>
    public sealed record BenchRow(string Model, string Search, bool Reduce, Action<IActorRuntime> Test, int MaxSteps, bool ExpectBug);

    /// <summary>A campaign the protocol needed to run to the end stopped on a bug or could not run; the engine holds the report and trace.</summary>
    public sealed class RunStoppedException(TestingEngine engine)
        : Exception($"{engine.TestName} stopped: {engine.TestReport.Bug?.Summary ?? engine.TestReport.Error}")
    {
        public TestingEngine Engine { get; } = engine;
    }
}
