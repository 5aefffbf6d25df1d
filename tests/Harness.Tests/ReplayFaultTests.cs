using Xunit;

namespace Verify.Harness.Tests;

/// <summary>Replays that go wrong say how far they got, and the step-bound counts agree with the bug.</summary>
public sealed class ReplayFaultTests : IDisposable
{
    private static readonly string Self = typeof(Fixtures).Assembly.Location;
    private readonly string dir = Directory.CreateTempSubdirectory("verify-replay-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static (ExitCode Code, string Out, string Err) Verify(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        ExitCode code = Cli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private string FindBug()
    {
        var r = Verify("test", Self, "-m", "RacyRegister", "-i", "100", "--seed", "7", "-s", "random", "-o", dir);
        Assert.Equal(ExitCode.BugFound, r.Code);
        return Path.Combine(dir, "Verify.Harness.Tests.Fixtures.RacyRegister.trace");
    }

    [Fact]
    public void Replay_ThatDivergesLate_CountsTheStepsBeforeIt_AndLogsThem()
    {
        string trace = FindBug();
        string[] lines = File.ReadAllLines(trace);
        int last = Array.FindLastIndex(lines, l => l.StartsWith("sched ", StringComparison.Ordinal));
        int before = lines.Count(l => l.StartsWith("sched ", StringComparison.Ordinal)) - 1;
        lines[last] = "sched 9";
        File.WriteAllLines(trace, lines);

        var r = Verify("replay", Self, trace, "--log");
        Assert.Equal(ExitCode.Diverged, r.Code);
        Assert.True(before > 0);
        Assert.Contains($": {before} decisions, {before} steps before it diverged", r.Out);
        Assert.Contains($"Trace diverged at step {before + 1}: it schedules operation 9", r.Out);
        Assert.Contains("[    1] ", r.Out);
        Assert.Contains($"[    {before}] ", r.Out);
    }

    [Theory]
    [InlineData("RacyRegister")]
    [InlineData("Fixtures.RacyRegister")]
    [InlineData("Verify.Harness.Tests.Fixtures.RacyRegister")]
    public void ReplayAndMinimize_TakeATrailingPartOfTheName_AsTestDoes(string name)
    {
        string trace = FindBug();
        var r = Verify("replay", Self, trace, "-m", name);
        Assert.Equal(ExitCode.BugFound, r.Code);
        Assert.Contains("against Verify.Harness.Tests.Fixtures.RacyRegister:", r.Out);
        Assert.Equal(ExitCode.BugFound, Verify("minimize", Self, trace, "-m", name, "-o", dir, "--budget", "20").Code);
    }

    [Fact]
    public void Replay_WithAnMThatNamesNoTest_SaysSo()
    {
        string trace = FindBug();
        var r = Verify("replay", Self, trace, "-m", "Register");
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.StartsWith("verify: No test named 'Register' in ", r.Err);
    }

    [Fact]
    public void Replay_OfATraceCutInsideItsHeader_ExitsOne_AsDocumented()
    {
        string trace = FindBug();
        string[] lines = File.ReadAllLines(trace);
        File.WriteAllLines(trace, lines.TakeWhile(l => !l.StartsWith("# fair", StringComparison.Ordinal)));
        var r = Verify("replay", Self, trace);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Equal($"verify: {trace}: the header ends before its '# decisions' line; the file was truncated inside its header. Record it again with `verify test`.\n", r.Err);
        Assert.Equal(ExitCode.Error, Verify("minimize", Self, trace).Code);
    }

    [Fact]
    public void FailOnMaxSteps_CountsTheRunThatHitTheBound()
    {
        var r = Verify("test", "PingPong", "-i", "3", "--seed", "1", "-ms", "100", "--fail-on-max-steps", "-o", dir);
        Assert.Equal(ExitCode.BugFound, r.Code);
        Assert.Contains("Step bound    hit in 1 of 1 runs", r.Out);
        Assert.Contains("MaxSteps", r.Out);
    }
}
