using Verify.Traces;
using Xunit;

namespace Verify.Harness.Tests;

/// <summary>
/// Each [Test] entry point of the Coyote-style samples run as a user runs it: `verify test
/// Samples.Tests.dll -m Sample.Execute` with a fixed seed and a small budget. A sample written to
/// hold a bug must report it (exit 2, a trace whose bug is the one expected); a fixed one must not (exit 0).
/// </summary>
public sealed class SampleCliTests : IDisposable
{
    /// <summary>Copied next to this assembly by the project reference in Harness.Tests.csproj.</summary>
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "Samples.Tests.dll");

    private readonly string outDir = Path.Combine(Path.GetTempPath(), "verify-samples-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(outDir))
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    /// <summary>Entry point, its options, and the start of the bug it must report (null: it must hold).</summary>
    public static TheoryData<string, string[], string?> Runs => new()
    {
        { "Samples.CoffeeMachineActors.CoffeeMachineSample.Execute", ["-s", "prioritization", "-sv", "3", "-i", "200", "--seed", "42"], "Assertion: The cup holds 3 shots of espresso, but 2 were ordered." },
        { "Samples.DiningPhilosophers.DiningPhilosophersSample.Execute", ["-s", "prioritization", "-sv", "3", "-i", "200", "--seed", "42"], "Deadlock: Deadlock at step " },
        { "Samples.DiningPhilosophers.DiningPhilosophersSample.ExecuteWithOrderedForks", ["-s", "prioritization", "-sv", "3", "-i", "100", "--seed", "42"], null },
        { "Samples.DrinksServingRobot.DrinksServingRobotSample.Execute", ["-s", "random", "-i", "100", "--seed", "5"], "Liveness: Monitor ServedMonitor detected a liveness bug: in hot state Waiting at the end of the run" },
        { "Samples.DrinksServingRobot.DrinksServingRobotSample.ExecuteFixed", ["-s", "random", "-i", "100", "--seed", "5"], null },
        {
            "Samples.FailureDetection.FailureDetectorSample.Execute",
            ["-s", "fair-prioritization", "-sv", "3", "-i", "300", "--seed", "42", "--max-unfair-steps", "200", "--max-fair-steps", "3000"],
            "Liveness: Monitor DetectionMonitor detected a potential liveness bug: stayed in hot state Undetected for more than 1500 steps of a fair run"
        },
        { "Samples.PingPong.PingPongSample.Execute", ["-i", "50", "--seed", "7"], null },
        { "Samples.Raft.RaftSample.Execute", ["-s", "random", "-i", "500", "--seed", "3"], "Assertion: Term 2 has two leaders: " },
        { "Samples.Raft.RaftSample.ExecuteFixed", ["-s", "random", "-i", "100", "--seed", "3"], null },
    };

    private static (ExitCode Code, string Out, string Err) Verify(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        ExitCode code = Cli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Sample_RunThroughVerifyTest_ReportsExactlyTheBugItHolds(string entryPoint, string[] options, string? bug)
    {
        // `-m CoffeeMachineSample.Execute`: the class and method, as a user names a test.
        string method = string.Join('.', entryPoint.Split('.')[^2..]);

        var r = Verify(["test", Samples, "-m", method, .. options, "-o", outDir]);

        Assert.True(r.Err.Length == 0, r.Err);
        Assert.Contains($"Test          {entryPoint}\n", r.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        string trace = Path.Combine(outDir, entryPoint + ".trace");
        if (bug is null)
        {
            Assert.True(r.Code == ExitCode.Success, r.Out);
            Assert.Contains("Result        no bug found (", r.Out, StringComparison.Ordinal);
            Assert.False(File.Exists(trace));
        }
        else
        {
            Assert.True(r.Code == ExitCode.BugFound, r.Out);
            Assert.Contains("\n              " + bug, r.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.StartsWith(bug, TraceReader.ReadFile(trace).Bug, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryTestOfTheSamples_IsRunAbove()
    {
        var r = Verify("list", Samples);

        Assert.Equal(ExitCode.Success, r.Code);
        string[] listed = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
            Runs.Select(row => (string)row[0]).Order(StringComparer.Ordinal),
            listed.Order(StringComparer.Ordinal));
    }
}
