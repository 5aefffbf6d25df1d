using Verify.Traces;
using Xunit;

namespace Verify.Harness.Tests;

public sealed class CliTests : IDisposable
{
    private static readonly string Self = typeof(Fixtures).Assembly.Location;
    private readonly string outDir = Path.Combine(Path.GetTempPath(), "verify-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(outDir))
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    private static (ExitCode Code, string Out, string Err) Verify(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        ExitCode code = Cli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private string FindBug()
    {
        var r = Verify("test", Self, "-m", "RacyRegister", "-i", "100", "--seed", "7", "-s", "random", "-o", outDir);
        Assert.Equal(ExitCode.BugFound, r.Code);
        return Path.Combine(outDir, "Verify.Harness.Tests.Fixtures.RacyRegister.trace");
    }

    [Fact]
    public void NoArguments_PrintsUsage_AndExitsOne()
    {
        var r = Verify();
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Contains("Usage:", r.Err);
    }

    [Fact]
    public void Help_ExitsZero()
    {
        Assert.Equal(ExitCode.Success, Verify("--help").Code);
        var r = Verify("test", "--help");
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.Contains("--max-steps", r.Out);
    }

    [Fact]
    public void List_ShowsBuiltInScenarios()
    {
        var r = Verify("list");
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.Contains("Verify.Harness.Reference.PingPong.Execute", r.Out);
    }

    [Fact]
    public void List_ShowsTestsOfAnAssembly()
    {
        var r = Verify("list", Self);
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.Contains("Verify.Harness.Tests.Fixtures.RacyRegister", r.Out);
    }

    [Fact]
    public void Test_OnBugFreeScenario_ExitsZero_AndSaysWhatWasExplored()
    {
        var r = Verify("test", "PingPong", "-i", "5", "--seed", "1", "-o", outDir);
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.Contains("no bug found (5 iterations", r.Out);
        Assert.Contains("Liveness      not checked", r.Out);
        Assert.Contains("Step bound    hit in 0 of 5 runs", r.Out);
        Assert.Contains("decisions/s", r.Out);

        // Only the report and the coverage: no trace without a bug.
        Assert.Equal(
            ["Verify.Harness.Reference.PingPong.Execute.coverage.txt", "Verify.Harness.Reference.PingPong.Execute.report.json"],
            Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Test_OnBug_ExitsTwo_AndWritesBothTraces()
    {
        string trace = FindBug();
        Assert.True(File.Exists(trace));
        Assert.True(File.Exists(Path.ChangeExtension(trace, ".txt")));
        Trace t = TraceReader.ReadFile(trace);
        Assert.Equal("Verify.Harness.Tests.Fixtures.RacyRegister", t.Test);
        Assert.StartsWith("Assertion: Register saw write 2 first.", t.Bug);
        Assert.Contains("Register(1) in Holding dequeues Write from Writer(3)", File.ReadAllText(Path.ChangeExtension(trace, ".txt")));
    }

    [Fact]
    public void Replay_ReproducesTheBug_AndExitsTwo()
    {
        string trace = FindBug();
        var r = Verify("replay", Self, trace, "--log");
        Assert.Equal(ExitCode.BugFound, r.Code);
        Assert.Contains("Reproduced    Assertion: Register saw write 2 first.", r.Out);
        Assert.Contains("BUG Assertion", r.Out);
    }

    [Fact]
    public void Replay_OfAnEditedTrace_ExitsFour_AndNamesTheStep()
    {
        string trace = FindBug();
        string[] lines = File.ReadAllLines(trace);
        int first = Array.FindIndex(lines, l => l.StartsWith("sched ", StringComparison.Ordinal));
        lines[first] = "sched 9";
        File.WriteAllLines(trace, lines);
        var r = Verify("replay", Self, trace);
        Assert.Equal(ExitCode.Diverged, r.Code);
        Assert.Contains("Trace diverged at step 1: it schedules operation 9, but the enabled operations are [1, 2, 3].", r.Out);
    }

    [Fact]
    public void Replay_OfATruncatedTrace_ExitsOne_WithAClearMessage()
    {
        string trace = FindBug();
        string[] lines = File.ReadAllLines(trace);
        File.WriteAllLines(trace, lines[..^2]);
        var r = Verify("replay", Self, trace);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Contains("it was truncated or edited", r.Err);
    }

    [Fact]
    public void Replay_OfAMalformedFile_ExitsOne_WithoutAStackTrace()
    {
        Directory.CreateDirectory(outDir);
        string path = Path.Combine(outDir, "junk.trace");
        File.WriteAllText(path, "hello\n");
        var r = Verify("replay", path);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Contains("not a Verify trace", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public void Replay_OfAMissingFile_ExitsOne()
    {
        var r = Verify("replay", Path.Combine(outDir, "none.trace"));
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Contains("no such trace file", r.Err);
    }

    [Fact]
    public void Replay_OfATraceForAnUnknownTest_ExitsOne()
    {
        string trace = FindBug();
        File.WriteAllText(trace, File.ReadAllText(trace).Replace("Fixtures.RacyRegister", "Fixtures.Gone", StringComparison.Ordinal));
        var r = Verify("replay", Self, trace);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Contains("The trace names test 'Verify.Harness.Tests.Fixtures.Gone'", r.Err);
    }

    [Fact]
    public void Test_OfAnUnknownScenario_ExitsOne()
    {
        var r = Verify("test", "NoSuchScenario");
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Contains("No test named 'NoSuchScenario'", r.Err);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("-s", "sideways")]
    [InlineData("-i", "zero")]
    [InlineData("--max-unfair-steps", "100", "--max-fair-steps", "10")]
    public void Test_WithBadOptions_ExitsOne(params string[] options)
    {
        var r = Verify(["test", "PingPong", .. options]);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.StartsWith("verify: ", r.Err);
    }

    [Fact]
    public void Test_OfAMalformedModel_ExitsOne_AndSaysWhy()
    {
        var r = Verify("test", Self, "-m", "Malformed", "-i", "1", "--seed", "1");
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Contains("NoStart has no [Start] state", r.Out);
    }

    [Fact]
    public void Test_InParallel_FindsTheSameBugInTheSameIteration()
    {
        string one = Path.Combine(outDir, "one");
        string two = Path.Combine(outDir, "two");
        Assert.Equal(ExitCode.BugFound, Verify("test", Self, "-m", "RacyRegister", "-i", "200", "--seed", "11", "-o", one).Code);
        Assert.Equal(ExitCode.BugFound, Verify("test", Self, "-m", "RacyRegister", "-i", "200", "--seed", "11", "--parallel", "2", "-o", two).Code);
        const string name = "Verify.Harness.Tests.Fixtures.RacyRegister.trace";
        Assert.Equal(File.ReadAllText(Path.Combine(one, name)), File.ReadAllText(Path.Combine(two, name)));
    }

    [Fact]
    public void Check_RunsEveryBuiltInScenario_AndPrintsAVerdictTable()
    {
        // The KVM/RCU matrix has variants with counterexamples, so the main job reports bugs (exit 2)
        // and writes their traces; the reference models have none.
        var r = Verify("check", "-i", "3", "-o", outDir);
        Assert.Equal(ExitCode.BugFound, r.Code);
        Assert.Contains("| Scenario", r.Out);
        Assert.Contains("Verify.Harness.Reference:", r.Out);
        Assert.Contains("| TokenRing.Execute ", r.Out);
        Assert.Contains("no bug in 3 iterations", r.Out);
        Assert.Contains("| KvmRcuModel.Baseline.SteadyGuest.NoRcucWakeupBeforeReentry ", r.Out);
        Assert.Matches(@"\d+ scenarios: \d+ with a bug, \d+ held within the bound, 0 model errors;", r.Out);
        Assert.Contains("| BUG Assertion in iteration ", r.Out);
        Assert.NotEmpty(Directory.GetFiles(outDir, "*.trace"));
    }
}
