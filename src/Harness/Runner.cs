using Verify.SystematicTesting;
using Verify.Traces;

namespace Verify.Harness;

/// <summary>Runs a test case through the engine with its init/dispose hooks, and reports like `coyote test`.</summary>
internal static class Runner
{
    internal static TestingEngine Explore(TestCase test, Configuration config)
    {
        TestingEngine engine = Create(test, config);
        Hooked(test, engine.Run);
        return engine;
    }

    internal static TestingEngine Replay(TestCase test, Trace trace)
    {
        TestingEngine engine = Create(test, Configuration.Create());
        Hooked(test, () => engine.Replay(trace));
        return engine;
    }

    private static TestingEngine Create(TestCase test, Configuration config)
    {
        TestingEngine engine = TestingEngine.Create(config, r => test.Entry(r) ?? Task.CompletedTask);
        engine.TestName = test.FullName;
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

    /// <summary>Prints the summary, writes the bug's traces, and returns the exit code.</summary>
    internal static ExitCode Report(TestingEngine engine, string target, string outDir, bool verbose, TextWriter stdout)
    {
        TestReport report = engine.TestReport;
        stdout.Write(report.Summary());
        if (report.Error is not null)
        {
            return ExitCode.Error;
        }

        if (report.Bug is null)
        {
            return ExitCode.Success;
        }

        engine.TryEmitReports(outDir, report.TestName, out IReadOnlyList<string> paths);
        stdout.WriteLine($"Trace         {paths[0]}");
        stdout.WriteLine($"Readable      {paths[1]}");
        stdout.WriteLine($"Replay with   verify replay {Quote(target)} {Quote(paths[0])} --log");
        if (verbose)
        {
            stdout.WriteLine();
            stdout.Write(engine.ReadableTrace);
        }

        return ExitCode.BugFound;
    }

    internal static string Quote(string s) => s.Contains(' ') ? $"\"{s}\"" : s;
}
