using Verify;
using Verify.SystematicTesting;
using Xunit;
using static Checker.Tests.StateSpace.Models;

namespace Checker.Tests.StateSpace;

/// <summary>
/// Search orders (<see cref="Configuration.SearchOrderSeed"/>), what a swarm of stateful searches
/// is made of: every order explores the same space and finds the same bugs, deterministically,
/// while different orders meet the states in a different sequence.
/// </summary>
public sealed class SearchOrderTests
{
    private static TestReport Run(Action<Verify.Actors.IActorRuntime> test, ulong order, StateStore store = StateStore.HashCompact96, long maxStates = 0)
    {
        Configuration config = Configuration.Create()
            .WithStrategy("stateful-dfs", 0)
            .WithMaxSchedulingSteps(1_000)
            .WithMaxStates(maxStates)
            .WithStateStore(store, 24)
            .WithSearchOrder(order);
        return Stateful.Run(config, test).TestReport;
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(7UL)]
    [InlineData(0xDEADBEEFUL)]
    public void EveryOrder_ExhaustsTheSameSpace(ulong order)
    {
        TestReport natural = Run(Tickers(4, 3), 0);
        TestReport other = Run(Tickers(4, 3), order);

        Assert.True(other.Exhausted);
        Assert.Equal(
            (natural.StateSpace!.States, natural.StateSpace.Transitions, natural.StateSpace.TerminalStates),
            (other.StateSpace!.States, other.StateSpace.Transitions, other.StateSpace.TerminalStates));
    }

    [Theory]
    [InlineData("lost-update")]
    [InlineData("abba-deadlock")]
    [InlineData("order-violation")]
    public void EveryOrder_FindsTheSeededBug_WithATraceThatReplays(string fixture)
    {
        for (ulong order = 0; order < 6; order++)
        {
            TestReport r = Run(ReductionTests.Fixture(fixture), order, StateStore.Bitstate);
            Assert.NotNull(r.Bug);
        }
    }

    [Fact]
    public void AnOrder_IsDeterministic_AndOrdersDiffer()
    {
        // Stopped at 100 states, a search has met the first 100 of its order: the same ones on
        // every run of one order; some other order meets others first (its terminal states, or
        // its depth, differ).
        static (long, long, int) Prefix(ulong order)
        {
            StateSpaceReport s = Run(Tickers(4, 3), order, maxStates: 100).StateSpace!;
            return (s.Transitions, s.TerminalStates, s.MaxDepth);
        }

        Assert.Equal(Prefix(3), Prefix(3));
        Assert.Contains(Enumerable.Range(1, 8).Select(o => Prefix((ulong)o)), p => p != Prefix(0));
    }
}
