using Verify.Harness.Reference;
using Verify.SystematicTesting;
using Verify.Traces;
using Xunit;

namespace Verify.Harness.Tests;

/// <summary>`verify test -s stateful-dfs|stateful-bfs` end to end: exit codes, the summary, traces that `verify replay` reproduces.</summary>
public sealed class StatefulCliTests : IDisposable
{
    private static readonly string Self = typeof(Fixtures).Assembly.Location;
    private readonly string outDir = Path.Combine(Path.GetTempPath(), "verify-stateful-" + Guid.NewGuid().ToString("N"));

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

    [Fact]
    public void StatefulBfs_OnABug_ExitsTwo_WithATraceThatReplays()
    {
        var r = Verify("test", Self, "-m", "RacyRegister", "-s", "stateful-bfs", "-o", outDir);
        Assert.Equal(ExitCode.BugFound, r.Code);
        Assert.Contains("Strategy      stateful-bfs: stateful exhaustive search, breadth-first (shortest counterexample)", r.Out);
        string trace = Path.Combine(outDir, "Verify.Harness.Tests.Fixtures.RacyRegister.trace");
        Assert.Equal("stateful-bfs", TraceReader.ReadFile(trace).Strategy);

        var replay = Verify("replay", Self, trace);
        Assert.Equal(ExitCode.BugFound, replay.Code);
        Assert.Contains("Reproduced    Assertion: Register saw write 2 first.", replay.Out);
    }

    [Theory]
    [InlineData("stateful-bfs")]
    [InlineData("stateful-dfs")]
    public void StatefulSearch_RunTwice_WritesByteIdenticalTraces_WithNoSeed(string search)
    {
        string first = Path.Combine(outDir, "first");
        string second = Path.Combine(outDir, "second");
        Assert.Equal(ExitCode.BugFound, Verify("test", Self, "-m", "RacyRegister", "-s", search, "-o", first).Code);
        Assert.Equal(ExitCode.BugFound, Verify("test", Self, "-m", "RacyRegister", "-s", search, "-o", second).Code);
        const string name = "Verify.Harness.Tests.Fixtures.RacyRegister.trace";
        byte[] a = File.ReadAllBytes(Path.Combine(first, name));
        Assert.Equal(a, File.ReadAllBytes(Path.Combine(second, name)));
        Assert.DoesNotContain("# seed", System.Text.Encoding.UTF8.GetString(a));
        Assert.Null(TraceReader.ReadFile(Path.Combine(first, name)).Seed);

        string report = File.ReadAllText(Path.Combine(first, "Verify.Harness.Tests.Fixtures.RacyRegister.report.json"));
        Assert.DoesNotContain("\"seed\"", report);
    }

    [Fact]
    public void StatefulDfs_OnAHotCycle_WritesALassoThatReplays_AndMinimizeRefuses()
    {
        var r = Verify("test", Self, "-m", "LostJobWithHeartbeat", "-s", "stateful-dfs", "-o", outDir);
        Assert.Equal(ExitCode.BugFound, r.Code);
        Assert.Contains("Liveness: Monitor JobMonitor detected a liveness bug: it stays hot forever on a fair cycle", r.Out);
        Assert.DoesNotContain("Minimize with", r.Out);
        string trace = Path.Combine(outDir, "Verify.Harness.Tests.JobFixtures.LostJobWithHeartbeat.trace");
        Assert.NotNull(TraceReader.ReadFile(trace).LoopStart);
        Assert.Contains("\nloop\n", File.ReadAllText(trace));

        var replay = Verify("replay", Self, trace, "--timeline");
        Assert.Equal(ExitCode.BugFound, replay.Code);
        Assert.Contains("Reproduced    Liveness: Monitor JobMonitor detected a liveness bug: it stays hot forever on a fair cycle", replay.Out);
        Assert.Contains("the loop begins", replay.Out);

        var minimize = Verify("minimize", Self, trace, "-o", outDir);
        Assert.Equal(ExitCode.Error, minimize.Code);
    }

    [Fact]
    public void StatefulDfs_OnABugFreeScenario_ExitsZero_AndSaysTheSpaceIsExhausted()
    {
        var r = Verify("test", "PingPong", "-s", "stateful-dfs", "-o", outDir);
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.Contains("Result        exhausted: no bug within these bounds (all ", r.Out);
        Assert.Contains("Reduction     off", r.Out);

        // Coverage over the transitions explored, printed and written as for sampling runs.
        Assert.Contains("Coverage      Client (state machine): states 1/1, handlers 1/1", r.Out);
        string coverage = File.ReadAllText(Path.Combine(outDir, "Verify.Harness.Reference.PingPong.Execute.coverage.txt"));
        Assert.Contains("over the explored state space (each transition explored counted once", coverage);
        Assert.Contains("Active  Pong  do OnPong  500", coverage);
    }

    [Fact]
    public void Summary_NamesWhatEachMemoryPeakMeasures_AndTheProcessPeakIsTheLarger()
    {
        var r = Verify("test", "PingPong", "-s", "stateful-dfs", "-o", outDir);
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.DoesNotContain("peak memory", r.Out);
        System.Text.RegularExpressions.Match m = System.Text.RegularExpressions.Regex.Match(
            r.Out, @"\nMemory        peak ([\d,]+) MB of managed heap and visited set \(what --max-memory bounds\); process peak resident set ([\d,]+) MB\n");
        Assert.True(m.Success, r.Out);
        long heap = long.Parse(m.Groups[1].Value.Replace(",", string.Empty), System.Globalization.CultureInfo.InvariantCulture);
        long process = long.Parse(m.Groups[2].Value.Replace(",", string.Empty), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(process > 0 && process >= heap, $"process peak {process} MB, heap and visited set {heap} MB");
    }

    [Fact]
    public void Por_TurnsOnReduction()
    {
        var r = Verify("test", "PingPong", "-s", "stateful-dfs", "--por", "-o", outDir);
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.Contains("Strategy      stateful-dfs(por)", r.Out);
        Assert.Contains("Reduction     partial-order, ", r.Out);
    }

    [Fact]
    public void Parallel_RunsTheDepthFirstSearchOnWorkers_WithTheSameStates()
    {
        var one = Verify("test", "PingPong", "-s", "stateful-dfs", "-o", outDir);
        var two = Verify("test", "PingPong", "-s", "stateful-dfs", "--parallel", "2", "-o", outDir);
        Assert.Equal(ExitCode.Success, two.Code);
        Assert.Contains("depth-first on 2 workers sharing one visited set", two.Out);
        string States(string output) => output.Split('\n').Single(l => l.StartsWith("States ", StringComparison.Ordinal)).Split(';')[0];
        Assert.Equal(States(one.Out), States(two.Out));
    }

    [Theory]
    [InlineData("stateful-bfs")]
    [InlineData("stateful")]
    public void Shard_OfABreadthFirstSearch_ExitsOne_AndPointsToTheSwarmAndParallel(string search)
    {
        var r = Verify("test", "PingPong", "-s", search, "--shard", "0/2", "-o", outDir);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Contains($"{search} keeps one visited set in memory, so it cannot be split between machines; shard stateful-dfs as a swarm (each shard searches the whole space in its own order), use --parallel N", r.Err);
    }

    [Fact]
    public void UncapturableState_ExitsOne_AndNamesTheField()
    {
        var r = Verify("test", Self, "-m", "Unhashable", "-s", "stateful-dfs", "-o", outDir);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Contains("Error         State capture failed: WithCallback(1).callback holds a delegate", r.Out);
    }

    [Fact]
    public void FilterLock_WithThreeProcesses_HasSpinsStateCount()
    {
        // SPIN 6.5.2 (spin -a; cc -DSAFETY -DNOREDUCE) on the Promela model in FilterLock.cs with
        // N = 3 stores 20,220 states; N = 4 (the benchmark) 3,138,424.
        int saved = FilterLock.Processes;
        FilterLock.Processes = 3;
        try
        {
            var engine = TestingEngine.Create(
                Configuration.Create().WithStrategy("stateful-dfs", 0).WithMaxSchedulingSteps(1_000_000),
                FilterLock.Execute);
            engine.Run();
            Assert.Null(engine.TestReport.Bug);
            Assert.True(engine.TestReport.Exhausted);
            Assert.Equal(20_220, engine.TestReport.StateSpace!.States);
        }
        finally
        {
            FilterLock.Processes = saved;
        }
    }
}
