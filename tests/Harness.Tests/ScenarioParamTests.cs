using Xunit;

namespace Verify.Harness.Tests;

/// <summary>`--param NAME=VALUE` for protocol scenarios: listed, validated, recorded in the trace, restored by replay.</summary>
public sealed class ScenarioParamTests : IDisposable
{
    private const string Scenario = "KvmRcu.CPlus.GuestHlt.NoRcucWakeupEnteringIdle";
    private const string FullName = "Verify.Protocols.KvmRcu.KvmRcuModel.CPlus.GuestHlt.NoRcucWakeupEnteringIdle";
    private readonly string dir = Directory.CreateTempSubdirectory("verify-params-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static (ExitCode Code, string Out, string Err) Verify(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        ExitCode code = Cli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private string Trace => Path.Combine(dir, FullName + ".trace");

    private void FindBugWithParams()
    {
        var r = Verify("test", Scenario, "--param", "HZ=8", "--param", "MaxTicks=5", "-i", "50", "--seed", "0", "-o", dir);
        Assert.Equal(ExitCode.BugFound, r.Code);
        Assert.Contains("Parameters    HZ=8, MaxTicks=5\n", r.Out);
    }

    [Fact]
    public void ListParams_GivesEachParameter_WithItsDefaultAndMeaning()
    {
        var r = Verify("list", "--params", "C.GuestHlt.NoRcucWakeupEnteringIdle");
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.StartsWith("Parameters of Verify.Protocols.KvmRcu.KvmRcuModel.C.GuestHlt.NoRcucWakeupEnteringIdle (verify test C.GuestHlt.NoRcucWakeupEnteringIdle --param NAME=VALUE ...):\n", r.Out);
        Assert.Matches(@"\| HZ +\| 4 +\| jiffies per second \(CONFIG_HZ\)", r.Out);
        Assert.Matches(@"\| MaxTicks +\| 4 +\| jiffies before time stops", r.Out);
        foreach (string name in (string[])["PatienceJiffies", "GracePeriods", "Callbacks", "JiffiesTillFqs", "WindowJiffies"])
        {
            Assert.Contains($"| {name} ", r.Out);
        }
    }

    [Fact]
    public void ListParams_OfAnAgeProperty_ShowsTheMaxTicksDefaultThatFollowsHz()
    {
        var r = Verify("list", "--params", "A.GuestHlt.GracePeriodCompletion");
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.Matches(@"\| MaxTicks +\| 9 \(the completion bound plus 2: follows HZ, PatienceJiffies, JiffiesTillFqs\)", r.Out);
    }

    [Fact]
    public void ListParams_OfAScenarioWithoutParameters_IsAUsageError()
    {
        var r = Verify("list", "--params", "PingPong");
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.StartsWith("verify: Verify.Harness.Reference.PingPong.Execute takes no --param", r.Err);
    }

    [Fact]
    public void Test_WithParams_RecordsThemInTheTraceHeader_AndReplayRestoresThem()
    {
        FindBugWithParams();
        string[] header = File.ReadLines(Trace).Take(4).ToArray();
        Assert.Equal("# param              HZ=8", header[2]);
        Assert.Equal("# param              MaxTicks=5", header[3]);

        var r = Verify("replay", Trace);
        Assert.Equal(ExitCode.BugFound, r.Code);
        Assert.Contains($"against {FullName} (HZ=8, MaxTicks=5): ", r.Out);
        Assert.Contains("Reproduced    Assertion: rcuc/0 was woken", r.Out);
    }

    [Fact]
    public void Replay_WithOtherParams_IsRefusedClearly()
    {
        FindBugWithParams();
        var r = Verify("replay", Trace, "--param", "HZ=4");
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.StartsWith("verify: --param HZ=4 differs from the trace, which was recorded with HZ=8; a trace replays only with its own parameters (HZ=8, MaxTicks=5).", r.Err);
    }

    [Fact]
    public void Replay_OfAParamTraceWithoutItsParams_Diverges()
    {
        FindBugWithParams();
        string stripped = Path.Combine(dir, "stripped.trace");
        File.WriteAllLines(stripped, File.ReadLines(Trace).Where(l => !l.StartsWith("# param", StringComparison.Ordinal)));
        var r = Verify("replay", stripped);
        Assert.Equal(ExitCode.Diverged, r.Code);
        Assert.Contains("Trace diverged at step ", r.Out);
    }

    [Fact]
    public void Minimize_KeepsTheParams_InTheMinimizedTrace()
    {
        FindBugWithParams();
        var r = Verify("minimize", Trace, "-o", Path.Combine(dir, "min"));
        Assert.Equal(ExitCode.BugFound, r.Code);
        string min = Path.Combine(dir, "min", FullName + ".min.trace");
        Assert.Contains("# param              HZ=8", File.ReadAllLines(min));
        Assert.Equal(ExitCode.BugFound, Verify("replay", min).Code);
    }

    [Fact]
    public void Test_WithDefaultParamsGivenExplicitly_FindsTheSameBug_AsWithoutThem()
    {
        var plain = Verify("test", Scenario, "-i", "30", "--seed", "2", "-o", Path.Combine(dir, "a"));
        var given = Verify("test", Scenario, "-i", "30", "--seed", "2", "--param", "HZ=4", "-o", Path.Combine(dir, "b"));
        Assert.Equal(plain.Code, given.Code);
        string bug(string o) => o.Split('\n').First(l => l.StartsWith("Bug ", StringComparison.Ordinal) || l.StartsWith("Result ", StringComparison.Ordinal));
        Assert.Equal(bug(plain.Out), bug(given.Out));
    }

    [Theory]
    [InlineData("Hz=8", "verify: C.GuestHlt.NoRcucWakeupEnteringIdle has no parameter 'Hz'. Its parameters: memory, HZ, MaxTicks, ")]
    [InlineData("HZ=0", "verify: --param HZ=0: HZ needs a whole number from 1 to 10000 (jiffies per second")]
    [InlineData("HZ=fast", "verify: --param HZ=fast: HZ needs a whole number from 1 to 10000")]
    [InlineData("MutantFqsIgnoresEqs=yes", "verify: --param MutantFqsIgnoresEqs=yes: MutantFqsIgnoresEqs is true or false")]
    [InlineData("HZ", "verify: --param needs NAME=VALUE (e.g. --param HZ=250), not 'HZ'.")]
    public void Test_WithABadParam_ExitsOne_SayingWhatIsWrong(string param, string expected)
    {
        var r = Verify("test", "C.GuestHlt.NoRcucWakeupEnteringIdle", "--param", param, "-i", "1", "-o", dir);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.StartsWith(expected, r.Err);
        Assert.Equal(string.Empty, r.Out);
    }

    [Fact]
    public void Test_WithAParamGivenTwice_IsRefused()
    {
        var r = Verify("test", "C.GuestHlt.NoRcucWakeupEnteringIdle", "--param", "HZ=8", "--param", "HZ=9", "-i", "1", "-o", dir);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Equal("verify: --param HZ is given twice; give each parameter once.\n", r.Err);
    }

    [Fact]
    public void Test_OfAScenarioWithoutParameters_RefusesParam()
    {
        var r = Verify("test", "PingPong", "--param", "HZ=8", "-i", "1", "-o", dir);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.StartsWith("verify: Verify.Harness.Reference.PingPong.Execute takes no --param", r.Err);
    }

    [Fact]
    public void Merge_OfShardsWithOtherParams_IsRefused()
    {
        const string c = "C.GuestHlt.NoRcucWakeupEnteringIdle";
        Verify("test", c, "--param", "HZ=8", "-i", "4", "--seed", "1", "--shard", "0/2", "-o", dir);
        Verify("test", c, "-i", "4", "--seed", "1", "--shard", "1/2", "-o", dir);
        string name = "Verify.Protocols.KvmRcu.KvmRcuModel.C.GuestHlt.NoRcucWakeupEnteringIdle";
        string first = Path.Combine(dir, name + ".shard-0-of-2.report.json");
        string second = Path.Combine(dir, name + ".shard-1-of-2.report.json");
        Assert.Contains("\"HZ=8\"", File.ReadAllText(first));
        var r = Verify("merge", first, second);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Equal($"verify: {second} is not a shard of the campaign of {first}: it has parameters the defaults, not HZ=8.\n", r.Err);
    }
}
