using System.Globalization;
using Verify.SystematicTesting;
using Verify.Traces;

namespace Verify.Harness.Commands;

/// <summary>`verify minimize`: shrink a buggy trace to fewer steps and context switches, same bug.</summary>
internal static class MinimizeCommand
{
    internal const int DefaultBudget = 2000;

    internal static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("method", ["-m"], true, "minimize against this test instead of the one the trace names (full name or a trailing part of it)", "NAME"),
        new("outdir", ["-o"], true, "where <name>.min.trace and <name>.min.txt go (default: beside the trace; verify-out for a trace under traces/)", "DIR"),
        new("budget", [], true, $"most replays to spend (default {DefaultBudget})"),
        new("log", ["-v", "--verbose"], false, "print the readable trace of the minimized run"),
        TestCommand.Help,
    ];

    /// <summary>
    /// Beside the input, unless the input sits under a <c>traces/</c> directory: those hold the
    /// committed counterexamples, one .trace each, so the results go to verify-out/ instead.
    /// </summary>
    internal static string DefaultDirectory(string tracePath)
    {
        string dir = Path.GetDirectoryName(tracePath) ?? string.Empty;
        bool committed = Path.GetFullPath(dir.Length == 0 ? "." : dir)
            .Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries)
            .Contains("traces", StringComparer.Ordinal);
        return committed ? "verify-out" : dir.Length == 0 ? "." : dir;
    }

    internal const string UsageLine = "Usage: verify minimize [<assembly.dll|scenario>] <file.trace> [-o DIR] [--budget N]";

    internal static ExitCode Run(string[] args, TextWriter stdout)
    {
        Options o = Options.Parse(args, Specs, "minimize");
        if (Cli.WantsHelp(o, stdout, UsageLine, Specs))
        {
            return ExitCode.Success;
        }

        (string? target, string tracePath) = o.Positionals.Count switch
        {
            1 => ((string?)null, o.Positionals[0]),
            2 => (o.Positionals[0], o.Positionals[1]),
            _ => throw new UsageException($"`verify minimize` takes a trace file, optionally after an assembly or scenario. {UsageLine}"),
        };

        if (o.String("outdir") is string minOut)
        {
            OutputPaths.WritableDirectory(minOut, "-o");
        }

        Trace trace = TraceFiles.Read(tracePath);
        if (TestingEngine.IsHang(trace))
        {
            throw new UsageException($"{tracePath} ends in a step that did not return; `verify minimize` would run that step again for every candidate. Fix the handler it names (`verify replay` shows the steps before it).");
        }

        if (trace.LoopStart is not null)
        {
            throw new UsageException($"{tracePath} is a lasso (a stem and a loop that repeats forever); `verify minimize` shrinks traces that end in their bug. A stateful-bfs search gives the shortest stem.");
        }
        TestCase test = ReplayCommand.WithRecordedParameters(o, ReplayCommand.FindTest(o, target, trace), trace);
        int budget = o.Int("budget", DefaultBudget, 1);

        // The input must replay strictly to its bug first: minimizing a trace of another model version means nothing.
        TestingEngine check = Runner.Replay(test, trace);
        if (check.TestReport.Error is not null)
        {
            stdout.WriteLine($"Error         {check.TestReport.Error}");
            return ExitCode.Error;
        }

        if (check.TestReport.Divergence is not null)
        {
            stdout.WriteLine(check.TestReport.Divergence);
            stdout.WriteLine("The trace does not replay on this model, so there is nothing to minimize; run `verify test` for a fresh trace.");
            return ExitCode.Diverged;
        }

        if (check.TestReport.Bug is null)
        {
            throw new UsageException($"{tracePath} records no bug; only a buggy trace can be minimized.");
        }

        // A trace without a '# bug' line that still ends in a bug is minimized for the bug it shows.
        trace = trace with { Bug = trace.Bug ?? check.TestReport.Bug.Summary.ReplaceLineEndings(" ") };
        (TestingEngine engine, MinimizeResult? result) = Runner.Minimize(test, trace, budget);
        if (result is null)
        {
            stdout.WriteLine($"Error         the trace reproduces its bug strictly but not under the minimizer's replay; please attach the trace (checker bug).");
            return ExitCode.InternalError;
        }

        TestReport report = engine.TestReport;
        if (report.Divergence is not null || report.Bug is null)
        {
            stdout.WriteLine($"checker bug: the minimized trace does not replay to its bug ({report.Divergence ?? "no bug"}); please attach the trace.");
            return ExitCode.InternalError;
        }

        string name = Path.GetFileName(tracePath);
        name = name.EndsWith(".trace", StringComparison.OrdinalIgnoreCase) ? name[..^".trace".Length] : name;
        if (name.EndsWith(".min", StringComparison.Ordinal))
        {
            name = name[..^".min".Length];
        }

        string dir = o.String("outdir") ?? DefaultDirectory(tracePath);
        Directory.CreateDirectory(dir);
        string minTrace = Path.Combine(dir, name + ".min.trace");
        string minText = Path.Combine(dir, name + ".min.txt");
        TraceWriter.WriteFile(minTrace, result.Minimized);
        File.WriteAllText(minText, engine.ReadableTrace);

        var c = CultureInfo.InvariantCulture;
        if (o.Has("log"))
        {
            stdout.Write(engine.ReadableTrace);
            stdout.WriteLine();
        }

        stdout.WriteLine($"Minimized     {tracePath} against {test.FullName}: {result.Replays} replays{(result.BudgetExhausted ? " (budget spent; a larger --budget may shrink it further)" : string.Empty)}");
        stdout.WriteLine(string.Create(c, $"Before        {result.Before}"));
        stdout.WriteLine(string.Create(c, $"After         {result.After}"));
        stdout.WriteLine($"Bug           {report.Bug.Summary}");
        stdout.WriteLine($"Trace         {minTrace}");
        stdout.WriteLine($"Readable      {minText}");
        stdout.WriteLine($"Replay with   verify replay {(target is null ? string.Empty : Runner.Quote(target) + " ")}{Runner.Quote(minTrace)} --timeline");
        return ExitCode.BugFound;
    }
}
