using Checker.Tests.Fixtures;
using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;
using Xunit.Abstractions;

namespace Checker.Tests.Strategies;

/// <summary>
/// Each strategy finds the seeded bugs within a fixed budget and seed. The budget is generous
/// (every pair below finds its bug well inside it with seed 1); a strategy that regresses
/// fails here rather than in a protocol test. DFS gets a larger budget: it is exhaustive and
/// orders schedules by operation id, not by likelihood (the ABBA deadlock is its schedule 3232).
/// </summary>
public sealed class SeededBugTests(ITestOutputHelper output)
{
    private const uint Budget = 200;

    private const uint DfsBudget = 5_000;

    public static TheoryData<string> AllStrategies => new()
    {
        "random", "probabilistic", "prioritization", "fair-prioritization", "delay-bounding", "fair-delay-bounding", "dfs", "portfolio",
    };

    public static TheoryData<string> FairStrategies => new()
    {
        "random", "probabilistic", "fair-prioritization", "fair-delay-bounding", "portfolio",
    };

    [Theory]
    [MemberData(nameof(AllStrategies))]
    public void Strategy_FindsLostUpdate_WithinBudget(string strategy)
    {
        TestReport report = Find(strategy, LostUpdate.Test);

        Assert.Equal(BugKind.Assertion, report.Bug?.Kind);
        Assert.Equal(LostUpdate.Message, report.Bug!.Message);
    }

    [Theory]
    [MemberData(nameof(AllStrategies))]
    public void Strategy_FindsAbbaDeadlock_WithinBudget(string strategy)
    {
        TestReport report = Find(strategy, AbbaDeadlock.Test);

        Assert.Equal(BugKind.Deadlock, report.Bug?.Kind);
        Assert.Contains("Waiting: ClientAB in Working for Granted; ClientBA in Working for Granted.", report.Bug!.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// PCT and delay bounding run with a small bound here: the bug needs the user to outrun the
    /// initializer, i.e. few priority changes or delays. With the default bound 10 on a schedule of
    /// about ten multi-operation steps every step becomes a change point and both degenerate into
    /// round robin; see <see cref="Pct_WithDefaultBound_FindsOrderViolation_WithinTwoHundredIterations"/>.
    /// </summary>
    [Theory]
    [InlineData("random", 0)]
    [InlineData("probabilistic", 0)]
    [InlineData("prioritization", 2)]
    [InlineData("fair-prioritization", 2)]
    [InlineData("delay-bounding", 2)]
    [InlineData("fair-delay-bounding", 2)]
    [InlineData("dfs", 0)]
    [InlineData("portfolio", 0)]
    public void Strategy_FindsOrderViolation_WithinBudget(string strategy, int bound)
    {
        TestReport report = Find(strategy, OrderViolation.Test(hops: 2), bound: bound);

        Assert.Equal(BugKind.Assertion, report.Bug?.Kind);
        Assert.Equal(OrderViolation.Message, report.Bug!.Message);
    }

    [Fact]
    public void Pct_WithDefaultBound_FindsOrderViolation_WithinTwoHundredIterations()
    {
        TestReport report = Find("prioritization", OrderViolation.Test(hops: 2));

        Assert.Equal(BugKind.Assertion, report.Bug?.Kind);
    }

    [Fact]
    public void DelayBounding_WithDefaultBound_FindsOrderViolation_WithinTwoHundredIterations()
    {
        TestReport report = Find("delay-bounding", OrderViolation.Test(hops: 0));

        Assert.Equal(BugKind.Assertion, report.Bug?.Kind);
    }

    [Theory]
    [MemberData(nameof(AllStrategies))]
    public void Strategy_FindsHotMonitorAtTermination_WithinBudget(string strategy)
    {
        TestReport report = Find(strategy, UnansweredRequest.Test(livelock: false));

        Assert.Equal(BugKind.Liveness, report.Bug?.Kind);
        Assert.StartsWith("Monitor ResponseLiveness detected a liveness bug: in hot state Waiting at the end of the run", report.Bug!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FairStrategies))]
    public void FairStrategy_FindsLivelock_ByTemperature(string strategy)
    {
        TestReport report = Find(strategy, UnansweredRequest.Test(livelock: true), livenessThreshold: 50);

        Assert.Equal(BugKind.Liveness, report.Bug?.Kind);
        Assert.StartsWith("Monitor ResponseLiveness detected a potential liveness bug: stayed in hot state Waiting for more than 50 steps of a fair run", report.Bug!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("prioritization")]
    [InlineData("delay-bounding")]
    [InlineData("dfs")]
    public void UnfairStrategy_DoesNotJudgeLiveness_InARunCutByTheStepBound(string strategy)
    {
        // The server either answers (the run terminates with the monitor cold) or livelocks (the run
        // hits the step bound with the monitor hot). Without fairness a hot monitor in a cut run
        // proves nothing, so unfair strategies report no bug.
        TestReport report = Explore.With(strategy, UnansweredRequest.Test(livelock: true), iterations: 20, maxSteps: 100, livenessThreshold: 50).TestReport;

        Assert.Null(report.Bug);
        Assert.True(report.StepBoundHits > 0, "some run livelocked and hit the step bound");
        Assert.Equal(0, report.NumOfExploredFairPaths);
    }

    private TestReport Find(string strategy, Action<IActorRuntime> test, int bound = 0, uint livenessThreshold = 0)
    {
        uint budget = strategy == "dfs" ? DfsBudget : Budget;
        TestReport report = Explore.With(strategy, test, budget, seed: 1, bound: bound, maxSteps: 200, livenessThreshold: livenessThreshold).TestReport;
        output.WriteLine($"{strategy}: bug in iteration {report.BugIteration} of {report.Iterations}: {report.Bug?.Summary ?? report.Error}");
        return report;
    }
}
