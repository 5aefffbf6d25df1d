using System.Text.Json;
using Verify.Traces;
using Xunit;

namespace Verify.Harness.Tests;

/// <summary>End to end: `verify minimize`, the timeline and HTML views, coverage, report files, shards and `verify merge`.</summary>
public sealed class ReportingCliTests : IDisposable
{
    private static readonly string Self = typeof(Fixtures).Assembly.Location;
    private readonly string outDir = Path.Combine(Path.GetTempPath(), "verify-reporting-" + Guid.NewGuid().ToString("N"));

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

    private string Path2(string name) => Path.Combine(outDir, name);

    private string Find(string test, string seed = "3")
    {
        var r = Verify("test", Self, "-m", test, "-i", "300", "--seed", seed, "-s", "random", "-o", outDir);
        Assert.Equal(ExitCode.BugFound, r.Code);
        return Path2($"Verify.Harness.Tests.JobFixtures.{test}.trace");
    }

    private static string Line(string output, string prefix) =>
        output.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal)).TrimEnd('\r');

    [Fact]
    public void Minimize_CutsTheChatter_AndTheResultReplaysToTheSameBug()
    {
        // Seed 4 finds the bug at step 56 of iteration 0, with the chatter all around it.
        string trace = Find("NoisyRegister", seed: "4");
        var r = Verify("minimize", Self, trace);
        Assert.Equal(ExitCode.BugFound, r.Code);
        Assert.StartsWith("Before        56 decisions, 56 steps, ", Line(r.Out, "Before "));

        // Writer(8) starts and delivers its write; Register(6) starts and dequeues it: 4 steps, 1 switch.
        Assert.Equal("After         4 decisions, 4 steps, 1 context switches", Line(r.Out, "After "));
        Assert.Contains("Bug           Assertion: Register saw write 2 first.", r.Out);
        string min = Path2("Verify.Harness.Tests.JobFixtures.NoisyRegister.min.trace");
        Assert.True(File.Exists(Path.ChangeExtension(min, ".txt")));
        Trace before = TraceReader.ReadFile(trace);
        Assert.True(before.Decisions.Count > 4);
        Assert.Equal(["sched 8", "sched 8", "sched 6", "sched 6"], TraceReader.ReadFile(min).Decisions.Select(d => d.ToString()));

        var replay = Verify("replay", Self, min);
        Assert.Equal(ExitCode.BugFound, replay.Code);
        Assert.Contains("Reproduced    Assertion: Register saw write 2 first.", replay.Out);
    }

    [Fact]
    public void Minimize_KeepsALivenessBug_WhoseStepNumberChanges()
    {
        string trace = Find("LostJob");
        Assert.Contains("# bug                Liveness: Monitor JobMonitor detected a liveness bug: in hot state Pending at the end of the run", File.ReadAllText(trace));
        var r = Verify("minimize", Self, trace, "-o", Path2("min"));
        Assert.Equal(ExitCode.BugFound, r.Code);
        Assert.Contains("Bug           Liveness: Monitor JobMonitor detected a liveness bug: in hot state Pending at the end of the run (terminated at step ", r.Out);
        string min = Path.Combine(outDir, "min", "Verify.Harness.Tests.JobFixtures.LostJob.min.trace");
        Assert.Equal(ExitCode.BugFound, Verify("replay", Self, min).Code);
    }

    [Fact]
    public void Minimize_OfADivergedTrace_ExitsFour()
    {
        string trace = Find("NoisyRegister");
        string[] lines = File.ReadAllLines(trace);
        int first = Array.FindIndex(lines, l => l.StartsWith("sched ", StringComparison.Ordinal));
        lines[first] = "sched 42";
        File.WriteAllLines(trace, lines);
        var r = Verify("minimize", Self, trace);
        Assert.Equal(ExitCode.Diverged, r.Code);
        Assert.Contains("Trace diverged at step 1: it schedules operation 42", r.Out);
    }

    [Fact]
    public void Test_OnBug_WritesTheTimelineAndHtmlBesideTheTraces()
    {
        string trace = Find("LostJob");
        string timeline = File.ReadAllText(Path.ChangeExtension(trace, ".timeline.txt"));
        Assert.StartsWith("Timeline of Verify.Harness.Tests.JobFixtures.LostJob\nBug: Liveness: Monitor JobMonitor detected a liveness bug: in hot state Pending", timeline);
        Assert.Contains("| LossyServer(1)", timeline);
        Assert.Contains("JobMonitor: Quiet -> Pending (hot)", timeline);
        string html = File.ReadAllText(Path.ChangeExtension(trace, ".html"));
        Assert.Contains("<g class=\"lane\" data-actor=\"LossyServer(1)\">", html);
        Assert.Contains("<g class=\"monitor-lane\" data-monitor=\"JobMonitor\">", html);
        Assert.Contains("<g class=\"bug\"", html);
    }

    [Fact]
    public void Replay_WithTimelineAndHtml_PrintsTheColumns_AndWritesThePage()
    {
        string trace = Find("LostJob");
        string page = Path2("view/page.html");
        var r = Verify("replay", Self, trace, "--timeline", "--html", page);
        Assert.Equal(ExitCode.BugFound, r.Code);
        Assert.Contains(" step | test", r.Out);
        Assert.Contains("| LossyServer(1)", r.Out);
        Assert.Contains("| Client(2)", r.Out);
        Assert.Contains($"HTML          {page}", r.Out);
        Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trace\"", File.ReadAllText(page));
    }

    [Fact]
    public void Test_WritesReportAndCoverage_EvenWithoutABug()
    {
        var r = Verify("test", Self, "-m", "QueuedJob", "-i", "50", "--seed", "1", "-s", "random", "-o", outDir);
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.Contains("Coverage      Client (state machine): states 1/1, handlers 0/0, transitions 0", r.Out);
        Assert.Contains("              JobMonitor (monitor): states 2/2, handlers 3/3, transitions 2", r.Out);
        Assert.Contains("              QueueingServer (state machine): states 3/4, handlers 5/6, transitions 4; never entered: Retired", r.Out);
        Assert.False(File.Exists(Path2("Verify.Harness.Tests.JobFixtures.QueuedJob.trace")));

        string coverage = File.ReadAllText(Path2("Verify.Harness.Tests.JobFixtures.QueuedJob.coverage.txt"));
        Assert.StartsWith("Coverage of Verify.Harness.Tests.JobFixtures.QueuedJob over 50 iterations", coverage);
        Assert.Contains("  handlers used: 5 of 6 (handled 3/4, deferred 1/1, ignored 1/1)", coverage);
        Assert.Contains("    Retired  never\n", coverage);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path2("Verify.Harness.Tests.JobFixtures.QueuedJob.report.json")));
        JsonElement root = json.RootElement;
        Assert.Equal("verify-report 1", root.GetProperty("format").GetString());
        Assert.Equal(50, root.GetProperty("iterations").GetInt32());
        Assert.False(root.TryGetProperty("bug", out _));
        Assert.True(root.GetProperty("coverage").GetArrayLength() > 10);
    }

    [Fact]
    public void Test_WithNoCoverage_PrintsAndWritesNone()
    {
        var r = Verify("test", Self, "-m", "QueuedJob", "-i", "5", "--seed", "1", "-o", outDir, "--no-coverage");
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.DoesNotContain("Coverage", r.Out);
        Assert.False(File.Exists(Path2("Verify.Harness.Tests.JobFixtures.QueuedJob.coverage.txt")));
    }

    [Fact]
    public void Shards_MergedTogether_FindTheBugOfOneRun()
    {
        var whole = Verify("test", Self, "-m", "LostJob", "-i", "400", "--seed", "17", "-s", "random", "-o", Path2("whole"));
        Assert.Equal(ExitCode.BugFound, whole.Code);
        var reports = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            var shard = Verify("test", Self, "-m", "LostJob", "-i", "400", "--seed", "17", "-s", "random", "--shard", $"{i}/3", "-o", Path2($"shard{i}"));
            Assert.Contains($"; shard {i}/3", shard.Out);
            reports.Add(Path2($"shard{i}/Verify.Harness.Tests.JobFixtures.LostJob.shard-{i}-of-3.report.json"));
        }

        var merged = Verify(["merge", .. reports, "-o", Path2("merged")]);
        Assert.Equal(ExitCode.BugFound, merged.Code);
        Assert.Contains("Merged        3 of 3 shards", merged.Out);
        string bugLine = Line(whole.Out, "Bug           found in iteration ");
        Assert.Equal(bugLine, Line(merged.Out, "Bug           found in iteration "));
        int iteration = int.Parse(bugLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4], System.Globalization.CultureInfo.InvariantCulture);
        string shardTrace = Path2($"shard{iteration % 3}/Verify.Harness.Tests.JobFixtures.LostJob.shard-{iteration % 3}-of-3.trace");
        Assert.Contains($"Trace         {shardTrace} (shard {iteration % 3}/3)", merged.Out);
        Assert.Equal(File.ReadAllText(Path2("whole/Verify.Harness.Tests.JobFixtures.LostJob.trace")), File.ReadAllText(shardTrace));
        Assert.True(File.Exists(Path2("merged/Verify.Harness.Tests.JobFixtures.LostJob.report.json")));
    }

    [Fact]
    public void Shards_OfABugFreeRun_MergeToTheSameCounters()
    {
        var whole = Verify("test", Self, "-m", "QueuedJob", "-i", "40", "--seed", "2", "-s", "random", "-o", Path2("whole"));
        var reports = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(ExitCode.Success, Verify("test", Self, "-m", "QueuedJob", "-i", "40", "--seed", "2", "-s", "random", "--shard", $"{i}/4", "-o", outDir).Code);
            reports.Add(Path2($"Verify.Harness.Tests.JobFixtures.QueuedJob.shard-{i}-of-4.report.json"));
        }

        var merged = Verify(["merge", .. reports]);
        Assert.Equal(ExitCode.Success, merged.Code);
        foreach (string prefix in new[] { "Iterations ", "Steps ", "Step bound ", "Liveness ", "Result ", "Coverage      ", "              QueueingServer" })
        {
            Assert.Equal(Line(whole.Out, prefix), Line(merged.Out, prefix));
        }

        var partial = Verify("merge", reports[0], reports[2]);
        Assert.Equal(ExitCode.Error, partial.Code);
        Assert.Contains("MISSING shards 1, 3", partial.Out);
    }

    [Fact]
    public void Merge_RejectsDuplicateShards_AndOtherCampaigns()
    {
        string a = Path2("a");
        string b = Path2("b");
        Verify("test", Self, "-m", "QueuedJob", "-i", "10", "--seed", "2", "--shard", "0/2", "-o", a);
        Verify("test", Self, "-m", "QueuedJob", "-i", "10", "--seed", "3", "--shard", "1/2", "-o", b);
        string ra = Path.Combine(a, "Verify.Harness.Tests.JobFixtures.QueuedJob.shard-0-of-2.report.json");
        string rb = Path.Combine(b, "Verify.Harness.Tests.JobFixtures.QueuedJob.shard-1-of-2.report.json");

        var dup = Verify("merge", ra, ra);
        Assert.Equal(ExitCode.Error, dup.Code);
        Assert.Contains("Shard 0/2 appears twice", dup.Err);
        var other = Verify("merge", ra, rb);
        Assert.Equal(ExitCode.Error, other.Code);
        Assert.Contains("is not a shard of the campaign", other.Err);
        Assert.Contains("seed 3, not 2", other.Err);
    }

    [Theory]
    [InlineData("4/4")]
    [InlineData("1")]
    [InlineData("-1/2")]
    public void Test_WithABadShard_ExitsOne(string shard)
    {
        var r = Verify("test", "PingPong", "--shard", shard);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Contains("--shard needs I/N", r.Err);
    }
}
