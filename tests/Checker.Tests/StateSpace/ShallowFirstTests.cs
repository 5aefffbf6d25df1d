using Verify;
using Verify.SystematicTesting;
using Xunit;
using static Checker.Tests.StateSpace.Models;

namespace Checker.Tests.StateSpace;

/// <summary>
/// The <c>stateful</c> order: breadth-first within a bound of states, so a shallow bug is found at
/// once with the fewest steps, then depth-first from the initial state where that bound stopped
/// it; the summary names the phases.
/// </summary>
public sealed class ShallowFirstTests
{
    private static TestReport Run(Action<Verify.Actors.IActorRuntime> test, long? bfsStates = null, long maxStates = 0)
    {
        Configuration config = Configuration.Create()
            .WithStrategy("stateful", 0)
            .WithMaxSchedulingSteps(1_000)
            .WithMaxStates(maxStates);
        if (bfsStates is long b)
        {
            config.WithBreadthFirstStates(b);
        }

        return Stateful.Run(config, test).TestReport;
    }

    [Theory]
    [InlineData("lost-update")]
    [InlineData("abba-deadlock")]
    [InlineData("order-violation")]
    public void AShallowBug_IsFoundBreadthFirst_WithTheFewestSteps(string fixture)
    {
        TestReport bfs = Stateful.Bfs(ReductionTests.Fixture(fixture)).TestReport;
        TestReport r = Run(ReductionTests.Fixture(fixture));

        Assert.NotNull(r.Bug);
        Assert.Equal(bfs.Bug!.Step, r.Bug!.Step);
        Assert.Equal("stateful-bfs", r.BugStrategy);
        Assert.StartsWith("breadth-first within 100,000 states (", r.StateSpace!.Order, StringComparison.Ordinal);
        Assert.EndsWith("): found the bug", r.StateSpace.Order, StringComparison.Ordinal);
        Assert.Contains("Order         breadth-first within 100,000 states", r.Summary(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lost-update")]
    [InlineData("abba-deadlock")]
    [InlineData("order-violation")]
    public void ABugBeyondTheBreadthFirstBound_IsFoundDepthFirst(string fixture)
    {
        TestReport r = Run(ReductionTests.Fixture(fixture), bfsStates: 2);

        Assert.NotNull(r.Bug);
        Assert.Equal("stateful-dfs", r.BugStrategy);
        Assert.Contains("reached its bound with no bug; then depth-first from the initial state", r.StateSpace!.Order, StringComparison.Ordinal);
    }

    [Fact]
    public void ASmallSpace_IsExhaustedBreadthFirst()
    {
        TestReport r = Run(Tickers(3, 3));

        Assert.True(r.Exhausted);
        Assert.Equal(125, r.StateSpace!.States);
        Assert.EndsWith("): exhausted the space", r.StateSpace.Order, StringComparison.Ordinal);
    }

    [Fact]
    public void ALargerSpace_IsExhaustedDepthFirst_WithEveryState()
    {
        TestReport r = Run(Tickers(3, 3), bfsStates: 10);

        Assert.True(r.Exhausted);
        Assert.Equal(125, r.StateSpace!.States);
        Assert.Contains("then depth-first from the initial state", r.StateSpace.Order, StringComparison.Ordinal);
    }

    [Fact]
    public void TheUsersStateBound_BoundsBothPhases()
    {
        // A bound below the breadth-first one ends the search there, not exhausted: no second phase.
        TestReport r = Run(Tickers(3, 3), maxStates: 10);

        Assert.False(r.Exhausted);
        Assert.True(r.StateSpace!.StateBound);
        Assert.EndsWith("): stopped", r.StateSpace.Order, StringComparison.Ordinal);
    }
}
