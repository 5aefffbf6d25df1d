using Verify.SystematicTesting;

namespace Verify.Harness.Commands;

/// <summary>
/// `verify merge`: combines the report files of one campaign's shards (`verify test --shard i/N`):
/// counters add up, the bug is the one of the lowest iteration (so the verdict is that of one big
/// run; of a swarm of stateful searches, the one with the fewest steps), coverage counts add up.
/// </summary>
internal static class MergeCommand
{
    internal static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("outdir", ["-o"], true, "write the merged <test>.report.json (and .coverage.txt) here", "DIR"),
        TestCommand.Help,
    ];

    internal const string UsageLine = "Usage: verify merge <report.json...> [-o DIR]";

    internal static ExitCode Run(string[] args, TextWriter stdout)
    {
        Options o = Options.Parse(args, Specs, "merge");
        if (Cli.WantsHelp(o, stdout, UsageLine, Specs))
        {
            return ExitCode.Success;
        }

        if (o.Positionals.Count == 0)
        {
            throw new UsageException($"`verify merge` needs the report files of a campaign's shards. {UsageLine}");
        }

        if (o.String("outdir") is string mergeOut)
        {
            OutputPaths.WritableDirectory(mergeOut, "-o");
        }

        var files = o.Positionals.Select(p => (Path: p, Report: ReportFile.Read(p))).ToList();
        ReportFile first = files[0].Report;
        foreach ((string path, ReportFile r) in files.Skip(1))
        {
            string? differs =
                r.Test != first.Test ? $"test {r.Test}, not {first.Test}"
                : r.Strategy != first.Strategy ? $"strategy {r.Strategy}, not {first.Strategy}"
                : r.Seed != first.Seed ? $"seed {r.Seed}, not {first.Seed}"
                : r.ShardCount != first.ShardCount ? $"{r.ShardCount} shards, not {first.ShardCount}"
                : r.IterationsRequested != first.IterationsRequested ? $"-i {r.IterationsRequested}, not {first.IterationsRequested}"
                : r.MaxUnfairSteps != first.MaxUnfairSteps || r.MaxFairSteps != first.MaxFairSteps ? "other step bounds"
                : !(r.Parameters ?? []).SequenceEqual(first.Parameters ?? []) ? $"parameters {Show(r.Parameters)}, not {Show(first.Parameters)}"
                : null;
            if (differs is not null)
            {
                throw new UsageException($"{path} is not a shard of the campaign of {files[0].Path}: it has {differs}.");
            }
        }

        var duplicate = files.GroupBy(f => f.Report.ShardIndex).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new UsageException($"Shard {duplicate.Key}/{first.ShardCount} appears twice: {string.Join(", ", duplicate.Select(f => f.Path))}.");
        }

        var missing = Enumerable.Range(0, first.ShardCount).Except(files.Select(f => f.Report.ShardIndex)).ToList();
        var merged = Merge(files.Select(f => f.Report).ToList(), files.Select(f => f.Path).ToList());
        TestReport report = merged.ToTestReport();
        report.ShardCount = 1;
        stdout.WriteLine($"Merged        {files.Count} of {first.ShardCount} shards{(missing.Count > 0 ? $"; MISSING shards {string.Join(", ", missing)}: the verdict covers only the shards given" : string.Empty)}");
        stdout.Write(report.Summary());
        if (merged.Bug is not null)
        {
            string dir = Path.GetDirectoryName(files.First(f => f.Report.ShardIndex == merged.Bug.Shard).Path) ?? ".";
            if (merged.Bug.Trace is not null)
            {
                stdout.WriteLine($"Trace         {Path.Combine(dir, merged.Bug.Trace)} (shard {merged.Bug.Shard}/{first.ShardCount})");
            }
        }

        foreach (string line in Coverage(report))
        {
            stdout.WriteLine(line);
        }

        if (o.String("outdir") is string outDir)
        {
            Directory.CreateDirectory(outDir);
            string path = Path.Combine(outDir, first.Test + ".report.json");
            merged.Write(path);
            stdout.WriteLine($"Report        {path}");
            if (report.Coverage is not null)
            {
                string cov = Path.Combine(outDir, first.Test + ".coverage.txt");
                File.WriteAllText(cov, report.Coverage.ToText(first.Test));
                stdout.WriteLine($"Coverage file {cov}");
            }
        }

        if (merged.Error is not null)
        {
            return ExitCode.Error;
        }

        return merged.Bug is not null ? ExitCode.BugFound : missing.Count > 0 ? ExitCode.Error : ExitCode.Success;
    }

    /// <summary>Sums the shards' counters; the bug is the one of the lowest iteration; time is the slowest shard's (they run side by side).</summary>
    internal static ReportFile Merge(IReadOnlyList<ReportFile> shards, IReadOnlyList<string> paths)
    {
        ReportFile first = shards[0];
        var withRuns = shards.Where(s => s.Iterations > 0).ToList();
        // Of a swarm's members (each a stateful search, iteration 0), the shortest counterexample.
        ReportFile? buggy = shards.Where(s => s.Bug is not null).MinBy(s => (s.Bug!.Iteration, s.Bug.Step));
        var coverage = shards.Where(s => s.Coverage is not null).ToList();
        CoverageReport? mergedCoverage = coverage.Count == 0
            ? null
            : CoverageReport.Merge(coverage.Select(s => CoverageReport.FromEntries(s.Coverage!, s.CoverageIterations)));
        return first with
        {
            Workers = shards.Sum(s => s.Workers),
            ShardIndex = 0,
            ShardCount = 1,
            Iterations = shards.Sum(s => s.Iterations),
            FairIterations = shards.Sum(s => s.FairIterations),
            UnfairIterations = shards.Sum(s => s.UnfairIterations),
            StepBoundHits = shards.Sum(s => s.StepBoundHits),
            TerminatedRuns = shards.Sum(s => s.TerminatedRuns),
            TotalSteps = shards.Sum(s => s.TotalSteps),
            TotalDecisions = shards.Sum(s => s.TotalDecisions),
            MinSteps = withRuns.Count == 0 ? 0 : withRuns.Min(s => s.MinSteps),
            MaxSteps = shards.Max(s => s.MaxSteps),
            Exhausted = shards.All(s => s.Exhausted),
            TimedOut = shards.Any(s => s.TimedOut),
            Interrupted = shards.Any(s => s.Interrupted),
            HasLivenessMonitors = shards.Any(s => s.HasLivenessMonitors),
            ElapsedSeconds = shards.Max(s => s.ElapsedSeconds),
            Error = shards.Select(s => s.Error).FirstOrDefault(e => e is not null),
            Bug = buggy is null ? null : buggy.Bug! with { Shard = buggy.ShardIndex },
            MergedFrom = paths.Select(Path.GetFileName).OfType<string>().ToList(),
            CoverageIterations = mergedCoverage?.Iterations ?? 0,
            Coverage = mergedCoverage?.Entries.ToList(),
        };
    }

    private static string Show(List<string>? parameters) => parameters is { Count: > 0 } ? string.Join(", ", parameters) : "the defaults";

    /// <summary>The compact coverage lines printed after a summary.</summary>
    internal static IEnumerable<string> Coverage(TestReport report)
    {
        if (report.Coverage is null)
        {
            yield break;
        }

        bool first = true;
        foreach (string line in report.Coverage.SummaryLines())
        {
            yield return (first ? "Coverage      " : "              ") + line;
            first = false;
        }
    }
}
