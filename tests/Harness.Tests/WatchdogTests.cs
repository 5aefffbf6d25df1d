using System.Diagnostics;
using System.Text.Json;
using Verify.Harness.Commands;
using Verify.Harness.Tests.Hanging;
using Verify.Traces;
using Trace = Verify.Traces.Trace;
using Xunit;

namespace Verify.Harness.Tests;

/// <summary>
/// A step that does not return cannot hold up `-t` forever: the watchdog names it, the summary and
/// the trace so far are written, and the exit code is 5. One step cannot flood memory with sends,
/// and recursion through the engine ends as an exception the step reports. The spinning fixtures
/// spin until released here, so no thread outlives a test; the child-process tests spin forever.
/// </summary>
public sealed class WatchdogTests : IDisposable
{
    private const string Spinning = "Verify.Harness.Tests.Hanging.HangFixtures.SpinningHandler";
    private static readonly string Self = typeof(HangFixtures).Assembly.Location;
    private readonly string dir = Directory.CreateTempSubdirectory("verify-watchdog-").FullName;

    public WatchdogTests() => HangFixtures.Hold();

    public void Dispose()
    {
        HangFixtures.Release();
        Directory.Delete(dir, recursive: true);
    }

    private static (ExitCode Code, string Out, string Err) Verify(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        ExitCode code = Cli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void Test_WithAHandlerThatLoops_ReportsItPastTheTimeLimit_WritesTheTraceSoFar_AndExitsFive()
    {
        var clock = Stopwatch.StartNew();
        var r = Verify("test", Self, "-m", "SpinningHandler", "-i", "1000", "-s", "random", "--seed", "1", "-t", "1", "--watchdog", "1", "-o", dir);
        TimeSpan took = clock.Elapsed;

        Assert.Equal(ExitCode.Hang, r.Code);
        Assert.InRange(took.TotalSeconds, 2, 20);
        Assert.Contains("Bug           found in iteration 0 at step 8 (", r.Out);
        Assert.Contains("              Hang: Step 8 did not return: Server(1) in Serving, in handler Serve handling Request. A loop without a scheduling point, or a call that blocks", r.Out);
        Assert.Matches(@"Watchdog      step 8 was still running \d+\.\d s after the watchdog first saw it, \d+\.\d s past the 1 s time limit; its thread is left running, so the process must end", r.Out);
        Assert.Contains("Iterations    1 (", r.Out);
        Assert.DoesNotContain("Minimize with", r.Out);

        // The trace so far: the eight scheduling decisions up to the step that did not return.
        Trace trace = TraceReader.ReadFile(Path.Combine(dir, Spinning + ".trace"));
        Assert.Equal(8, trace.Decisions.Count);
        Assert.StartsWith("Hang: Step 8 did not return: Server(1) in Serving", trace.Bug);

        // The readable trace: the seven steps before it, then the step given up on.
        string readable = File.ReadAllText(Path.Combine(dir, Spinning + ".txt"));
        Assert.Contains("[    7] Client(2) sends Request to Server(1)", readable);
        Assert.Contains("[    8] BUG Hang: Step 8 did not return", readable);
        Assert.True(File.Exists(Path.Combine(dir, Spinning + ".html")));

        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, Spinning + ".report.json")));
        Assert.Equal("Hang", report.RootElement.GetProperty("bug").GetProperty("kind").GetString());
    }

    [Fact]
    public void Test_WithAHandlerThatSleeps_IsReportedAsWell()
    {
        var r = Verify("test", Self, "-m", "SleepingHandler", "-i", "1000", "-s", "random", "--seed", "1", "-t", "1", "--watchdog", "1", "-o", dir);
        Assert.Equal(ExitCode.Hang, r.Code);
        Assert.Contains("Hang: Step 8 did not return: Server(1) in Serving, in handler Serve handling Request.", r.Out);
    }

    [Fact]
    public void Test_WithATestMethodThatLoops_NamesTheTestMethod()
    {
        var r = Verify("test", Self, "-m", "SpinningBody", "-t", "1", "--watchdog", "1", "-o", dir);
        Assert.Equal(ExitCode.Hang, r.Code);
        Assert.Contains("Hang: Step 0 did not return: the test method.", r.Out);
        Assert.Contains("[    0] BUG Hang: Step 0 did not return: the test method.", File.ReadAllText(Path.Combine(dir, "Verify.Harness.Tests.Hanging.HangFixtures.SpinningBody.txt")));
    }

    [Fact]
    public void Test_OnTwoWorkers_ReportsTheStepThatDidNotReturn()
    {
        var r = Verify("test", Self, "-m", "SpinningHandler", "-i", "1000", "-s", "random", "--seed", "1", "--parallel", "2", "-t", "1", "--watchdog", "1", "-o", dir);
        Assert.Equal(ExitCode.Hang, r.Code);
        Assert.Matches(@"Hang: Step \d+ did not return: Server\(1\) in Serving, in handler Serve handling Request\.", r.Out);
    }

    [Theory]
    [InlineData("stateful-dfs")]
    [InlineData("stateful-bfs")]
    public void StatefulSearch_WithAHandlerThatLoops_ReportsIt_WithAPathThatReplaysToIt(string search)
    {
        var r = Verify("test", Self, "-m", "SpinningHandler", "-s", search, "-t", "1", "--watchdog", "1", "-o", dir);
        Assert.Equal(ExitCode.Hang, r.Code);
        string step = System.Text.RegularExpressions.Regex.Match(r.Out, @"Hang: Step (\d+) did not return: Server\(1\) in Serving, in handler Serve handling Request\.").Groups[1].Value;
        Assert.NotEqual(string.Empty, step);
        Assert.Contains($"Watchdog      step {step} was still running", r.Out);
        Assert.DoesNotContain("Result        exhausted", r.Out);

        var replay = Verify("replay", Self, Path.Combine(dir, Spinning + ".trace"), "--watchdog", "1");
        Assert.Equal(ExitCode.Hang, replay.Code);
        Assert.Contains($"Reproduced    Hang: Step {step} did not return", replay.Out);
    }

    [Fact]
    public void Replay_OfTheTrace_RunsTheStepAgain_GivesUpOnItAfterTheGrace_AndExitsFive()
    {
        Assert.Equal(ExitCode.Hang, Verify("test", Self, "-m", "SpinningHandler", "-s", "random", "--seed", "1", "-t", "1", "--watchdog", "1", "-o", dir).Code);
        string trace = Path.Combine(dir, Spinning + ".trace");

        var r = Verify("replay", Self, trace, "--watchdog", "1", "--log");
        Assert.Equal(ExitCode.Hang, r.Code);
        Assert.Contains("[    8] Server(1) in Serving dequeues Request from Client(2)", r.Out);
        Assert.Contains(": 8 decisions, 8 steps", r.Out);
        Assert.Contains("Reproduced    Hang: Step 8 did not return: Server(1) in Serving, in handler Serve handling Request.", r.Out);
        Assert.Matches(@"Watchdog      step 8 was still running \d+\.\d s after the watchdog first saw it, \d+\.\d s into the replay;", r.Out);

        var minimize = Verify("minimize", Self, trace, "-o", dir);
        Assert.Equal(ExitCode.Error, minimize.Code);
        Assert.Contains("ends in a step that did not return; `verify minimize` would run that step again for every candidate", minimize.Err);
    }

    [Fact]
    public void Check_StopsAtTheScenarioWithAStepThatDidNotReturn_AndExitsFive()
    {
        IReadOnlyList<TestCase> tests = TestCase.Discover(typeof(HangFixtures).Assembly)
            .Where(t => t.FullName == "Verify.Harness.Tests.Fixtures.RacyRegister" || t.FullName == Spinning || t.FullName == "Verify.Harness.Tests.JobFixtures.QueuedJob")
            .OrderBy(t => t.FullName == Spinning ? 1 : t.FullName.Contains("Fixtures.Racy", StringComparison.Ordinal) ? 0 : 2)
            .ToList();
        Assert.Equal(3, tests.Count);
        var o = new StringWriter();

        ExitCode code = CheckCommand.Run(["-i", "20", "-t", "1", "--watchdog", "1", "--outdir", dir], o, tests);

        string output = o.ToString();
        Assert.Equal(ExitCode.Hang, code);
        Assert.Contains("MODEL ERROR in iteration 0: a step did not return (not a verdict; see below)", output);
        Assert.Matches($@"verify: model error in {System.Text.RegularExpressions.Regex.Escape(Spinning)} in iteration 0, step (\d+): Hang: Step \1 did not return", output);
        Assert.Contains("Stopped by the watchdog: a step of HangFixtures.SpinningHandler did not return, and its thread cannot be stopped; 2 of 3 scenarios run, the table covers those.", output);
        Assert.Contains("2 of 3 scenarios: 1 with a bug, 0 held within the bound, 1 model errors;", output);
        Assert.DoesNotContain("QueuedJob", output);
    }

    [Fact]
    public void Test_WithAHandlerThatSendsInAnEndlessLoop_EndsInAnEffectBoundBug_NotInMemoryExhaustion()
    {
        var r = Verify("test", Self, "-m", "FloodingHandler", "-i", "10", "-s", "random", "--seed", "1", "-o", dir);
        Assert.Equal(ExitCode.BugFound, r.Code);
        Assert.Contains("EffectBound: Server(1) in Serving, in handler Serve handling Request made more than 100,000 sends, creations and random choices in step ", r.Out);
        var replay = Verify("replay", Self, Path.Combine(dir, "Verify.Harness.Tests.Hanging.HangFixtures.FloodingHandler.trace"));
        Assert.Equal(ExitCode.BugFound, replay.Code);
    }

    [Fact]
    public void Test_WithRecursionThroughTheEngine_ReportsTheExceptionAtTheStacksEnd()
    {
        var r = Verify("test", Self, "-m", "RecursionThroughTheEngine", "-i", "1", "-s", "random", "--seed", "1", "-o", dir);
        Assert.Equal(ExitCode.BugFound, r.Code);
        Assert.Contains("Exception: Server(1).Serve threw InsufficientExecutionStackException: ", r.Out);
        Assert.Contains("At: Verify.Harness.Tests.Hanging.HangFixtures+Server.Recurse, a recursion that ran the 16 MB stack of an iteration short: without end, or too deep for that stack", r.Out);

        // A 16 MB stack: far deeper than the 1.5 MB of a default .NET thread or the 8 MB of a main thread.
        Assert.True(HangFixtures.DeepestLevel > 100_000, $"the recursion reached level {HangFixtures.DeepestLevel}");
    }

    [Fact]
    public void AProcess_WhoseHandlerLoopsForever_EndsWithExitFive_AfterWritingItsSummaryAndTrace()
    {
        (int code, string output, string errors) = Child(["test", Self, "-m", "SpinningHandler", "-s", "random", "--seed", "1", "-t", "1", "--watchdog", "1", "-o", dir]);
        Assert.True(code == 5, $"exit {code}: {errors}{output}");
        Assert.Contains("Hang: Step 8 did not return: Server(1) in Serving, in handler Serve handling Request.", output);
        Assert.True(File.Exists(Path.Combine(dir, Spinning + ".trace")));
        Assert.True(File.Exists(Path.Combine(dir, Spinning + ".report.json")));
    }

    [Fact]
    public void AProcess_WithoutATimeLimit_WhoseHandlerLoops_EndsOnSigint_AfterTheGrace_WithExitFive()
    {
        string spinning = Path.Combine(dir, "spinning");
        (int code, string output, string errors) = Child(
            ["test", Self, "-m", "SpinningHandler", "-s", "random", "--seed", "1", "--watchdog", "1", "-o", dir],
            whileRunning: child =>
            {
                var wait = Stopwatch.StartNew();
                while (!File.Exists(spinning) && !child.HasExited && wait.Elapsed < TimeSpan.FromSeconds(30))
                {
                    System.Threading.Thread.Sleep(50);
                }

                using Process kill = Process.Start("kill", ["-INT", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                kill.WaitForExit();
            },
            spinningFile: spinning);
        Assert.True(code == 5, $"exit {code}: {errors}{output}");
        Assert.StartsWith("verify: SIGINT received: stopping at the next iteration", errors);
        Assert.Contains("Hang: Step 8 did not return: Server(1) in Serving, in handler Serve handling Request.", output);
        Assert.Matches(@"Watchdog      step 8 was still running \d+\.\d s after the watchdog first saw it, after the request to stop;", output);
    }

    [Fact]
    public void AProcess_WhoseModelRecursesWithoutCallingTheEngine_DiesOfAStackOverflow_AsDocumented()
    {
        // Not what anyone wants, but what .NET does: a stack overflow cannot be caught. cli.md says so.
        (int code, string output, string errors) = Child(["test", Self, "-m", "RecursionAlone", "-s", "random", "--seed", "1", "-o", dir]);
        Assert.True(code == 134, $"exit {code}: {errors}{output}");
        Assert.StartsWith("Stack overflow.", errors);
        Assert.Contains("at Verify.Harness.Tests.Hanging.HangFixtures+Server.Recurse(Int32)", errors);
        Assert.Equal(string.Empty, output);
    }

    /// <summary>Runs `verify` as a child process whose spinning steps spin forever; its exit code and output.</summary>
    private static (int Code, string Out, string Err) Child(string[] args, Action<Process>? whileRunning = null, string? spinningFile = null)
    {
        string verify = Path.Combine(AppContext.BaseDirectory, "Verify.dll");

        // `env --default-signal` undoes a SIGINT ignored by whoever started the tests, which the child would inherit.
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("--default-signal=INT,TERM");
        start.ArgumentList.Add(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet");
        start.ArgumentList.Add(verify);
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment[HangFixtures.ForeverVariable] = "1";
        if (spinningFile is not null)
        {
            start.Environment[HangFixtures.SpinningFileVariable] = spinningFile;
        }

        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        using Process child = Process.Start(start)!;
        Task<string> stdout = child.StandardOutput.ReadToEndAsync();
        Task<string> stderr = child.StandardError.ReadToEndAsync();
        whileRunning?.Invoke(child);
        if (!child.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            child.Kill();
            Assert.Fail("verify did not end within a minute");
        }

        return (child.ExitCode, stdout.Result, stderr.Result);
    }
}
