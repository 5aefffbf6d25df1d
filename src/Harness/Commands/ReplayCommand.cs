using Verify.SystematicTesting;
using Verify.Traces;

namespace Verify.Harness.Commands;

/// <summary>`verify replay`: rerun a trace, reproduce its bug, or say where the model no longer matches it.</summary>
internal static class ReplayCommand
{
    internal static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("method", ["-m"], true, "replay against this test instead of the one the trace names (full name or a trailing part of it)", "NAME"),
        new("param", [], true, "NAME=VALUE: check the trace was recorded with this parameter (the trace's own parameters are always used)", "NAME=VALUE"),
        new("log", ["-v", "--verbose"], false, "print the readable trace of the replay"),
        new("timeline", [], false, "print the replay as a timeline, one column per actor"),
        new("html", [], true, "write the replay as an HTML page to this file (lanes per CPU and context for a kernel model, per actor otherwise)", "FILE"),
        new("perfetto", ["--chrome-trace"], true, "write the replay as Chrome trace-event JSON (for ui.perfetto.dev or chrome://tracing) to this file", "FILE.json"),
        new("watchdog", [], true, "replaying a step that did not return: seconds to let it run before it is given up on again (default 5)", "SECONDS"),
        TestCommand.Help,
    ];

    internal const string UsageLine = "Usage: verify replay [<assembly.dll|scenario>] <file.trace> [--log] [--timeline] [--html FILE] [--perfetto FILE.json]";

    internal static ExitCode Run(string[] args, TextWriter stdout)
    {
        Options o = Options.Parse(args, Specs, "replay");
        if (Cli.WantsHelp(o, stdout, UsageLine, Specs))
        {
            return ExitCode.Success;
        }

        (string? target, string tracePath) = o.Positionals.Count switch
        {
            1 => ((string?)null, o.Positionals[0]),
            2 => (o.Positionals[0], o.Positionals[1]),
            _ => throw new UsageException($"`verify replay` takes a trace file, optionally after an assembly or scenario. {UsageLine}"),
        };

        if (o.String("html") is string htmlOut)
        {
            OutputPaths.WritableFile(htmlOut, "--html");
        }

        if (o.String("perfetto") is string jsonOut)
        {
            OutputPaths.WritableFile(jsonOut, "--perfetto");
        }

        Trace trace = TraceFiles.Read(tracePath);
        TestCase test = WithRecordedParameters(o, FindTest(o, target, trace), trace);
        TestingEngine engine = Runner.Replay(test, trace, TestCommand.Watchdog(o));
        TestReport report = engine.TestReport;
        if (o.Has("log"))
        {
            stdout.Write(engine.ReadableTrace);
            stdout.WriteLine();
        }

        if (o.Has("timeline"))
        {
            stdout.Write(TraceTimeline.Render(engine.TraceEvents, test.FullName));
            stdout.WriteLine();
        }

        stdout.WriteLine($"Replayed      {tracePath} against {test.FullName}{(test.Parameters.Count > 0 ? $" ({ScenarioParams.Show(test.Parameters)})" : string.Empty)}: {report.TotalDecisions} decisions, {report.TotalSteps} steps{(report.Divergence is null ? string.Empty : " before it diverged")}");
        if (o.String("html") is string html)
        {
            File.WriteAllText(html, TraceHtml.Render(engine.TraceEvents, test.FullName));
            stdout.WriteLine($"HTML          {html}");
        }

        if (o.String("perfetto") is string json)
        {
            File.WriteAllText(json, ChromeTrace.Render(engine.TraceEvents, test.FullName));
            stdout.WriteLine($"Perfetto      {json} (Chrome trace-event JSON: open it in ui.perfetto.dev or chrome://tracing)");
        }

        if (report.Error is not null)
        {
            stdout.WriteLine($"Error         {report.Error}");
            return ExitCode.Error;
        }

        if (report.Divergence is not null)
        {
            stdout.WriteLine(report.Divergence);
            return ExitCode.Diverged;
        }

        if (report.Bug is not null)
        {
            stdout.WriteLine($"Reproduced    {report.Bug.Summary}");
            if (report.Watchdog is not null)
            {
                stdout.WriteLine($"Watchdog      {report.Watchdog}");
                return ExitCode.Hang;
            }

            return ExitCode.BugFound;
        }

        stdout.WriteLine("Result        the trace replays to its end without a bug, as recorded");
        return ExitCode.Success;
    }

    /// <summary>
    /// The test with the parameters the trace recorded (<c># param</c> lines). A <c>--param</c> that
    /// differs from them is refused: the decisions belong to the configuration that made them.
    /// </summary>
    internal static TestCase WithRecordedParameters(Options o, TestCase test, Trace trace)
    {
        IReadOnlyList<KeyValuePair<string, string>> recorded = trace.Parameters;
        IReadOnlyList<KeyValuePair<string, string>> asked = ScenarioParams.Parse(o.Strings("param"));
        foreach ((string name, string value) in asked)
        {
            string? had = recorded.Where(r => r.Key == name).Select(r => r.Value).FirstOrDefault();
            if (had != value)
            {
                throw new UsageException($"--param {name}={value} differs from the trace, which was recorded with {(had is null ? $"{name} at its default" : $"{name}={had}")}; "
                    + $"a trace replays only with its own parameters ({(recorded.Count == 0 ? "the defaults" : ScenarioParams.Show(recorded))}). Drop --param, or record a new trace with `verify test {test.ShortName} --param {name}={value}`.");
            }
        }

        return ScenarioParams.Apply(test, recorded);
    }

    /// <summary>The test a trace replays against: the one it names, in the assembly or built-in scenarios given.</summary>
    internal static TestCase FindTest(Options o, string? target, Trace trace)
    {
        bool isAssembly = target is not null && TestRegistry.IsAssemblyPath(target);
        IReadOnlyList<TestCase> tests = TestRegistry.From(isAssembly ? target : null, out string source);
        TestCase? test;
        if (o.String("method") is string method)
        {
            // As `verify test -m`: the full name, or a trailing part of it at a dot.
            test = TestRegistry.Select(tests, method, source);
        }
        else
        {
            test = tests.FirstOrDefault(t => t.FullName == trace.Test)
                ?? throw new UsageException($"The trace names test '{trace.Test}', which {source} does not have. Pass the assembly it came from, or -m NAME.");
        }

        if (target is not null && !isAssembly && TestRegistry.Select(tests, target, source) != test)
        {
            throw new UsageException($"The trace was recorded for '{trace.Test}', not for scenario '{target}'.");
        }

        return test;
    }
}
