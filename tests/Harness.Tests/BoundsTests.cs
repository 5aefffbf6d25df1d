using System.Text.RegularExpressions;
using Xunit;

namespace Verify.Harness.Tests;

/// <summary>Resource bounds: workers no more than the cores, stateful searches within a memory bound and a state bound.</summary>
public sealed class BoundsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("verify-bounds-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static (ExitCode Code, string Out, string Err) Verify(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        ExitCode code = Cli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void Parallel_AboveTheCoreCount_IsRefusedBeforeAnyWorkerStarts()
    {
        int cores = Environment.ProcessorCount;
        var r = Verify("test", "PingPong", "-i", "5", "--parallel", "100000", "-o", dir);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Equal($"verify: --parallel 100000 is more than the {cores} cores this process can use; give at most --parallel {cores}.\n", r.Err);
        Assert.Equal(string.Empty, r.Out);
    }

    [Fact]
    public void Parallel_AtTheCoreCount_Runs()
    {
        var r = Verify("test", "PingPong", "-i", "4", "--seed", "1", "--parallel", Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", dir);
        Assert.Equal(ExitCode.Success, r.Code);
    }

    [Fact]
    public void StatefulSearch_AtItsMemoryBound_StopsNotExhausted_WithTheCountsSoFar()
    {
        var r = Verify("test", "PingPong", "-s", "stateful-dfs", "--max-memory", "1K", "-o", dir);
        Assert.Equal(ExitCode.Success, r.Code);
        // The heap is the test host's, beside the other tests running in it: over 999 MB it reads "1,0xx".
        Assert.True(Regex.IsMatch(r.Out, @"Result        no bug found in [\d,]+ states; not exhausted: memory bound \([\d,]+ MB used of 0 MB, --max-memory\)"), r.Out);
        Assert.Contains("States        ", r.Out);
        Assert.DoesNotContain("exhausted: no bug within these bounds", r.Out);
    }

    [Fact]
    public void StatefulSearch_WithinItsMemoryBound_IsExhausted()
    {
        var r = Verify("test", "PingPong", "-s", "stateful-dfs", "--max-memory", "4G", "-o", dir);
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.Contains("Result        exhausted: no bug within these bounds", r.Out);
    }

    [Theory]
    [InlineData("stateful-dfs", 1)]
    [InlineData("stateful-bfs", 1)]
    [InlineData("stateful-dfs", 2)]
    public void StatefulSearch_AtItsStateBound_StopsNotExhausted_AtExactlyThatManyStates(string search, int workers)
    {
        // PingPong has 2,005 reachable states; the workers of a parallel search count them together.
        string parallel = Math.Min(workers, Environment.ProcessorCount).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var r = Verify("test", "PingPong", "-s", search, "--max-states", "2004", "--parallel", parallel, "-o", dir);
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.Contains("Result        no bug found in 2,004 states; not exhausted: state bound (2,004 states, --max-states)", r.Out);
        Assert.Contains("States        2,004 distinct,", r.Out);
    }

    [Fact]
    public void StatefulSearch_WithAStateBoundOfItsWholeSpace_IsExhausted()
    {
        var r = Verify("test", "PingPong", "-s", "stateful-dfs", "--max-states", "2005", "-o", dir);
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.Contains("Result        exhausted: no bug within these bounds (all 2,005 reachable states,", r.Out);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("many")]
    public void MaxStates_ThatIsNoPositiveNumber_IsAUsageError(string value)
    {
        var r = Verify("test", "PingPong", "-s", "stateful-dfs", "--max-states", value, "-o", dir);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Equal($"verify: --max-states needs a whole number of at least 1, not '{value}'.\n", r.Err);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("0")]
    [InlineData("-1G")]
    [InlineData("4Q")]
    public void MaxMemory_ThatIsNoSize_IsAUsageError(string value)
    {
        var r = Verify("test", "PingPong", "-s", "stateful-dfs", "--max-memory", value, "-o", dir);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Equal($"verify: --max-memory needs a size such as 512M, 4G or 1.5G (a bare number is in megabytes), not '{value}'.\n", r.Err);
    }

    [Fact]
    public void Bitstate_RunsInItsFixedTable_AndSaysTheResultIsProbabilistic()
    {
        var r = Verify("test", "PingPong", "-s", "stateful-dfs", "--bitstate", "20", "-o", dir);
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.Contains("Store         bitstate: 2^20 bits (0 MB), 3 bits a state, no depths; probabilistic: about", r.Out);
        Assert.Contains("Result        exhausted (probabilistic): no bug in the", r.Out);
    }

    [Fact]
    public void HashCompact_KeepsTheWholeSpace_AndGivesTheCollisionProbability()
    {
        var r = Verify("test", "PingPong", "-s", "stateful-dfs", "--hash-compact", "-o", dir);
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.Contains("Store         hash compaction: a 64-bit fingerprint a state (8 bytes), no depths; probability that two states collided about 1.1E-13", r.Out);
        Assert.Contains("Result        exhausted: no bug within these bounds (all 2,005 reachable states,", r.Out);
    }

    [Theory]
    [InlineData("verify: --bitstate needs a whole number of at least 10, not '9'.\n", "--bitstate", "9")]
    [InlineData("verify: --bitstate 37: the table has 2^W bits with W at most 36.\n", "--bitstate", "37")]
    [InlineData("verify: --bitstate-hashes 9: a state sets at most 8 bits.\n", "--bitstate", "20", "--bitstate-hashes", "9")]
    [InlineData("verify: --bitstate-hashes sizes a bitstate table; give --bitstate W too.\n", "--bitstate-hashes", "2")]
    [InlineData("verify: --bitstate and --hash-compact are two ways to keep the visited states; give one.\n", "--bitstate", "20", "--hash-compact")]
    public void StateStoreOptions_ThatDoNotFit_AreUsageErrors(string error, params string[] options)
    {
        var r = Verify(["test", "PingPong", "-s", "stateful-dfs", .. options, "-o", dir]);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Equal(error, r.Err);
    }

    [Fact]
    public void StateProfile_ListsTheFieldPathsWithTheMostValues()
    {
        var r = Verify("test", "PingPong", "-s", "stateful-bfs", "--state-profile", "3", "-o", dir);
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.Contains("Profile       distinct values over the 2,005 states, the 3 field paths with the most:\n", r.Out);
        Assert.Contains("Result        exhausted: no bug within these bounds (all 2,005 reachable states,", r.Out);
    }

    [Theory]
    [InlineData("-s", "random")]
    [InlineData("-s", "stateful")]
    [InlineData("-s", "stateful-dfs", "--parallel", "2")]
    public void StateProfile_OutsideASingleStatefulSearch_IsAUsageError(params string[] options)
    {
        var r = Verify(["test", "PingPong", .. options, "--state-profile", "3", "-o", dir]);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Equal("verify: --state-profile profiles a stateful-dfs or stateful-bfs search on one worker.\n", r.Err);
    }

    [Fact]
    public void Stateful_SearchesBreadthFirstThenDepthFirst_AndNamesTheOrder()
    {
        var r = Verify("test", "PingPong", "-s", "stateful", "--bfs-states", "1000", "-o", dir);
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.Contains("Order         breadth-first within 1,000 states (", r.Out);
        Assert.Contains("reached its bound with no bug; then depth-first from the initial state", r.Out);
        Assert.Contains("Result        exhausted: no bug within these bounds (all 2,005 reachable states,", r.Out);
    }

    [Fact]
    public void BfsStates_WithoutTheStatefulOrder_IsAUsageError()
    {
        var r = Verify("test", "PingPong", "-s", "stateful-dfs", "--bfs-states", "10", "-o", dir);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Equal("verify: --bfs-states bounds the breadth-first phase of -s stateful.\n", r.Err);
    }

    [Fact]
    public void StatefulDfs_ShardedAsASwarm_RunsEachMemberInItsOwnOrder_AndMerges()
    {
        for (int i = 0; i < 3; i++)
        {
            var r = Verify("test", "PingPong", "-s", "stateful-dfs", "--bitstate", "20", "--shard", $"{i}/3", "-o", dir);
            Assert.Equal(ExitCode.Success, r.Code);
            Assert.Contains("Result        exhausted (probabilistic)", r.Out);
        }

        var merged = Verify(["merge", .. Directory.GetFiles(dir, "*.report.json")]);
        Assert.Equal(ExitCode.Success, merged.Code);
        Assert.Contains("Merged        3 of 3 shards", merged.Out);
    }
}
