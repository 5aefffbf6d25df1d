using System.Text.Json;
using System.Text.Json.Serialization;
using Verify.SystematicTesting;

namespace Verify.Harness;

/// <summary>
/// The machine-readable report of one `verify test` run (<c>name.report.json</c>): the campaign's
/// settings, the report's counters, the bug with its iteration and trace file, and the coverage.
/// `verify merge` combines the reports of a campaign's shards.
/// </summary>
internal sealed record ReportFile
{
    internal const string CurrentFormat = "verify-report 1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Format { get; init; } = CurrentFormat;

    public required string Test { get; init; }

    public required string Strategy { get; init; }

    /// <summary>The campaign's seed; absent for a stateful search, which uses none.</summary>
    public ulong? Seed { get; init; }

    public int Workers { get; init; } = 1;

    /// <summary>The scenario's --param values as NAME=VALUE, when any were given.</summary>
    public List<string>? Parameters { get; init; }

    public int ShardIndex { get; init; }

    public int ShardCount { get; init; } = 1;

    /// <summary>The -i of the campaign: shards split [0, this) between them.</summary>
    public int IterationsRequested { get; init; }

    public int Iterations { get; init; }

    public int FairIterations { get; init; }

    public int UnfairIterations { get; init; }

    public int StepBoundHits { get; init; }

    public int TerminatedRuns { get; init; }

    public long TotalSteps { get; init; }

    public long TotalDecisions { get; init; }

    public int MinSteps { get; init; }

    public int MaxSteps { get; init; }

    public bool Exhausted { get; init; }

    public bool TimedOut { get; init; }

    /// <summary>The campaign was stopped by SIGINT or SIGTERM before its bound.</summary>
    public bool Interrupted { get; init; }

    public bool HasLivenessMonitors { get; init; }

    public int LivenessThreshold { get; init; }

    public int MaxUnfairSteps { get; init; }

    public int MaxFairSteps { get; init; }

    public double ElapsedSeconds { get; init; }

    public string? Error { get; init; }

    public BugFile? Bug { get; init; }

    /// <summary>Shards merged into this report (their report files), for a merged report.</summary>
    public List<string>? MergedFrom { get; init; }

    public long CoverageIterations { get; init; }

    public List<CoverageEntry>? Coverage { get; init; }

    internal static ReportFile From(TestReport r, int iterationsRequested, string? tracePath, IReadOnlyList<KeyValuePair<string, string>>? parameters = null) => new()
    {
        Parameters = parameters is { Count: > 0 } ? parameters.Select(p => $"{p.Key}={p.Value}").ToList() : null,
        Test = r.TestName,
        Strategy = r.Strategy,
        Seed = r.StateSpace is null ? r.Seed : null,
        Workers = r.Workers,
        ShardIndex = r.ShardIndex,
        ShardCount = r.ShardCount,
        IterationsRequested = iterationsRequested,
        Iterations = r.Iterations,
        FairIterations = r.NumOfExploredFairPaths,
        UnfairIterations = r.NumOfExploredUnfairPaths,
        StepBoundHits = r.StepBoundHits,
        TerminatedRuns = r.TerminatedRuns,
        TotalSteps = r.TotalSteps,
        TotalDecisions = r.TotalDecisions,
        MinSteps = r.Iterations > 0 ? r.MinSteps : 0,
        MaxSteps = r.MaxSteps,
        Exhausted = r.Exhausted,
        TimedOut = r.TimedOut,
        Interrupted = r.Interrupted,
        HasLivenessMonitors = r.HasLivenessMonitors,
        LivenessThreshold = r.LivenessThreshold,
        MaxUnfairSteps = r.MaxUnfairSteps,
        MaxFairSteps = r.MaxFairSteps,
        ElapsedSeconds = Math.Round(r.Elapsed.TotalSeconds, 3),
        Error = r.Error,
        Bug = r.Bug is null ? null : new BugFile
        {
            Kind = r.Bug.Kind.ToString(),
            Message = r.Bug.Message,
            Iteration = r.BugIteration,
            Step = r.Bug.Step,
            Actor = r.Bug.Actor,
            Strategy = r.BugStrategy,
            Trace = tracePath is null ? null : Path.GetFileName(tracePath),
        },
        CoverageIterations = r.Coverage?.Iterations ?? 0,
        Coverage = r.Coverage?.Entries.ToList(),
    };

    /// <summary>The report's counters as a <see cref="TestReport"/>, so merged reports print like `verify test`.</summary>
    internal TestReport ToTestReport()
    {
        var r = new TestReport
        {
            TestName = Test,
            Strategy = Strategy,
            Seed = Seed ?? 0,
            Workers = Workers,
            ShardIndex = ShardIndex,
            ShardCount = ShardCount,
            Iterations = Iterations,
            NumOfExploredFairPaths = FairIterations,
            NumOfExploredUnfairPaths = UnfairIterations,
            StepBoundHits = StepBoundHits,
            TerminatedRuns = TerminatedRuns,
            TotalSteps = TotalSteps,
            TotalDecisions = TotalDecisions,
            MinSteps = MinSteps,
            MaxSteps = MaxSteps,
            Exhausted = Exhausted,
            TimedOut = TimedOut,
            Interrupted = Interrupted,
            HasLivenessMonitors = HasLivenessMonitors,
            LivenessThreshold = LivenessThreshold,
            MaxUnfairSteps = MaxUnfairSteps,
            MaxFairSteps = MaxFairSteps,
            Elapsed = TimeSpan.FromSeconds(ElapsedSeconds),
            Error = Error,
            Coverage = Coverage is null ? null : CoverageReport.FromEntries(Coverage, CoverageIterations),
        };
        if (Bug is not null)
        {
            r.Bug = new BugReport(Enum.TryParse(Bug.Kind, out BugKind kind) ? kind : BugKind.Assertion, Bug.Message, Bug.Step, Bug.Actor);
            r.BugIteration = Bug.Iteration;
            r.BugStrategy = Bug.Strategy;
            r.BugReports.Add(r.Bug.Message);
        }

        return r;
    }

    internal void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    internal static ReportFile Read(string path)
    {
        if (Directory.Exists(path))
        {
            throw new UsageException($"{path} is a directory; give the report files (<test>.report.json) of the shards.");
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such report file.");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{path}: cannot read it ({ex.Message}).");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UsageException($"{path}: the file is empty, not a Verify report; `verify test` writes <test>.report.json to its -o directory.");
        }

        ReportFile? r;
        try
        {
            r = JsonSerializer.Deserialize<ReportFile>(text, Json);
        }
        catch (JsonException ex)
        {
            throw new UsageException($"{path}: not a Verify report ({ex.Message}); `verify test` writes <test>.report.json to its -o directory.");
        }

        if (r is null || r.Format != CurrentFormat)
        {
            throw new UsageException($"{path}: not a Verify report: its format is '{r?.Format}', not '{CurrentFormat}'; `verify test` writes <test>.report.json to its -o directory.");
        }

        return r;
    }
}

/// <summary>The bug of a report: kind, message, where it was found, and its trace file (beside the report).</summary>
internal sealed record BugFile
{
    public required string Kind { get; init; }

    public required string Message { get; init; }

    public int Iteration { get; init; }

    public int Step { get; init; }

    public string? Actor { get; init; }

    public string? Strategy { get; init; }

    /// <summary>File name of the trace, in the report's directory.</summary>
    public string? Trace { get; init; }

    /// <summary>Set in a merged report: the shard whose report had the bug.</summary>
    public int? Shard { get; init; }

    internal string Summary => $"{Kind}: {Message}";
}
