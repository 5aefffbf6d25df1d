using Verify.SystematicTesting;
using Verify.Traces;

namespace Verify.Harness;

/// <summary>Runs a test case through the engine with its init/dispose hooks, and reports like `coyote test`.</summary>
internal static class Runner
{
    internal static TestingEngine Explore(TestCase test, Configuration config, Progress? progress = null, string label = "")
    {
        TestingEngine engine = Create(test, config);
        if (progress is null)
        {
            Hooked(test, engine.Run);
            return engine;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (progress.Every(() => label + Line(engine, config, clock.Elapsed)))
        {
            Hooked(test, engine.Run);
        }

        return engine;
    }

    /// <summary>The live line of a run: iterations (of how many) or distinct states, their rate, and the time so far.</summary>
    internal static string Line(TestingEngine engine, Configuration config, TimeSpan elapsed)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        long n = engine.Progress;
        double seconds = Math.Max(elapsed.TotalSeconds, 1e-3);
        return engine.ProgressCountsStates
            ? string.Create(c, $"{n:N0} states, {n / seconds:N0}/s, {elapsed.TotalSeconds:F0} s")
            : string.Create(c, $"{n:N0}/{config.TestingIterations:N0} iterations, {n / seconds:N0}/s, {elapsed.TotalSeconds:F0} s");
    }

    internal static TestingEngine Replay(TestCase test, Trace trace, TimeSpan? watchdog = null)
    {
        Configuration config = Configuration.Create();
        if (watchdog is TimeSpan grace)
        {
            config.WithWatchdogGrace(grace);
        }

        TestingEngine engine = Create(test, config);
        Hooked(test, () => engine.Replay(trace));
        return engine;
    }

    internal static (TestingEngine Engine, MinimizeResult? Result) Minimize(TestCase test, Trace trace, int budget)
    {
        TestingEngine engine = Create(test, Configuration.Create());
        MinimizeResult? result = null;
        Hooked(test, () => result = engine.Minimize(trace, budget));
        return (engine, result);
    }

    private static TestingEngine Create(TestCase test, Configuration config)
    {
        TestingEngine engine = TestingEngine.Create(config, r => test.Entry(r) ?? Task.CompletedTask);
        engine.TestName = test.FullName;
        engine.TraceParameters = test.Parameters;
        engine.IterationDispose = test.IterationDispose;
        return engine;
    }

    private static void Hooked(TestCase test, Action run)
    {
        test.Init?.Invoke();
        try
        {
            run();
        }
        finally
        {
            test.Dispose?.Invoke();
        }
    }

    /// <summary>
    /// Prints the summary (and coverage), writes <c>name.report.json</c> and <c>name.coverage.txt</c>
    /// always and the bug's traces when there is one, and returns the exit code.
    /// </summary>
    internal static ExitCode Report(TestingEngine engine, string target, string outDir, bool verbose, TextWriter stdout, string? fileName = null, int iterationsRequested = 0, IReadOnlyList<KeyValuePair<string, string>>? parameters = null)
    {
        parameters ??= [];
        TestReport report = engine.TestReport;
        fileName ??= report.TestName;
        stdout.Write(report.Summary());
        if (parameters.Count > 0)
        {
            stdout.WriteLine($"Parameters    {ScenarioParams.Show(parameters)}");
        }

        if (report.Interrupted)
        {
            stdout.WriteLine(Stopped(report, iterationsRequested));
        }

        foreach (string line in Commands.MergeCommand.Coverage(report))
        {
            stdout.WriteLine(line);
        }

        string? tracePath = null;
        if (report.Bug is not null && report.Error is null)
        {
            engine.TryEmitReports(outDir, fileName, out IReadOnlyList<string> paths);
            tracePath = paths[0];
            stdout.WriteLine($"Trace         {paths[0]}");
            stdout.WriteLine($"Readable      {paths[1]}");
            stdout.WriteLine($"Timeline      {paths[2]}");
            stdout.WriteLine($"HTML          {paths[3]}");
            stdout.WriteLine($"Replay with   verify replay {Quote(target)} {Quote(paths[0])} --log");
            if (engine.BugTrace?.LoopStart is null && report.Bug.Kind != BugKind.Hang)
            {
                stdout.WriteLine($"Minimize with verify minimize {Quote(target)} {Quote(paths[0])}");
            }
        }

        Directory.CreateDirectory(outDir);
        string reportPath = Path.Combine(outDir, fileName + ".report.json");
        ReportFile.From(report, iterationsRequested, tracePath, parameters).Write(reportPath);
        stdout.WriteLine($"Report        {reportPath}");
        if (report.Coverage is not null)
        {
            string coveragePath = Path.Combine(outDir, fileName + ".coverage.txt");
            File.WriteAllText(coveragePath, report.Coverage.ToText(report.TestName));
            stdout.WriteLine($"Coverage file {coveragePath}");
        }

        if (report.Error is not null)
        {
            return ExitCode.Error;
        }

        if (report.Bug is null)
        {
            return report.Interrupted ? Signals.Code : ExitCode.Success;
        }

        if (verbose)
        {
            stdout.WriteLine();
            stdout.Write(engine.ReadableTrace);
        }

        return report.Bug.Kind == BugKind.Hang ? ExitCode.Hang : ExitCode.BugFound;
    }

    /// <summary>"Stopped       by SIGINT after 312 of 100000 iterations: ..." for a campaign a signal stopped.</summary>
    internal static string Stopped(TestReport r, int iterationsRequested) =>
        r.StateSpace is StateSpaceReport s
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Stopped       by {Signals.Name} after {s.States:N0} states and {s.Transitions:N0} transitions: the search is not exhausted; the counts above cover what it explored")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Stopped       by {Signals.Name} after {r.Iterations} of {(iterationsRequested > 0 ? iterationsRequested.ToString(System.Globalization.CultureInfo.InvariantCulture) : "the")} iterations: {(r.Bug is null ? "no bug in those" : "the bug above was found first")}; the counts above cover them");

    internal static string Quote(string s) => s.Contains(' ') ? $"\"{s}\"" : s;
}
