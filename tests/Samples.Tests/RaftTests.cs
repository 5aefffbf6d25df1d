using Samples.Raft;
using Verify;
using Verify.SystematicTesting;
using Xunit;

namespace Samples.Tests;

public class RaftTests
{
    private static Configuration Random(uint iterations) => Configuration.Create()
        .WithTestingIterations(iterations).WithRandomGeneratorSeed(3).WithRandomStrategy().WithTimeoutDelay(2);

    [Fact]
    public void Raft_ElectsTwoLeadersInOneTerm_WhenAServerForgetsItsVote()
    {
        TestingEngine engine = SampleRuns.FindBug(Random(2000), RaftSample.Execute, BugKind.Assertion);

        Assert.Matches("^Term \\d has two leaders: Server-\\d and Server-\\d\\.$", engine.TestReport.Bug.Message);

        // The servers were found by name: the trace speaks of them by the names the test gave.
        Assert.Contains("Server-2 ", engine.ReadableTrace);
        SampleRuns.ReplayBug(engine, RaftSample.Execute);
    }

    [Fact]
    public void Raft_Fixed_ElectsAtMostOneLeaderPerTerm()
    {
        RaftSample.Elections = 0;
        TestingEngine engine = SampleRuns.Explore(Random(500), RaftSample.ExecuteFixed);

        Assert.Null(engine.TestReport.Bug);
        Assert.True(RaftSample.Elections >= 500, $"only {RaftSample.Elections} leaders were elected in 500 runs");
        Assert.Equal(500, engine.TestReport.Iterations);
        Assert.Equal(500, engine.TestReport.TerminatedRuns);
    }

    [Fact]
    public void Raft_TwoLeaderBug_IsFoundByStatefulSearch_AndItsTraceReplays()
    {
        // Named ids, timers stopped on exit and the monitor's dictionary all survive snapshot and restore.
        Configuration config = Configuration.Create().WithStrategy("stateful-dfs", 0).WithMaxSchedulingSteps(300).WithTimeoutDelay(2);
        TestingEngine engine = SampleRuns.FindBug(config, RaftSample.Execute, BugKind.Assertion);

        Assert.Matches("^Term \\d has two leaders: Server-\\d and Server-\\d\\.$", engine.TestReport.Bug.Message);
        SampleRuns.ReplayBug(engine, RaftSample.Execute);
    }
}
