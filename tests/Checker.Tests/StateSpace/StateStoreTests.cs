using Verify;
using Verify.SystematicTesting;
using Xunit;
using static Checker.Tests.StateSpace.Models;

namespace Checker.Tests.StateSpace;

/// <summary>
/// The visited stores (<see cref="StateStore"/>): 64-bit hash compaction finds what the default
/// store finds and gives its collision probability; a bitstate table large enough for the space
/// omits nothing, a small one omits states and says the search was probabilistic, with an
/// estimate of what it missed; every store still finds the seeded bugs.
/// </summary>
public sealed class StateStoreTests
{
    // Tickers(5, 5): 7^5 = 16,807 states.
    private const long TickerStates = 16_807;

    [Theory]
    [InlineData("stateful-dfs", 1)]
    [InlineData("stateful-dfs", 2)]
    [InlineData("stateful-bfs", 1)]
    public void HashCompaction64_ExploresTheSameSpace_AndGivesItsCollisionProbability(string search, int workers)
    {
        TestReport exact = Stateful.Run(search, Tickers(5, 5), 1_000, reduce: false, workers: workers).TestReport;
        TestReport compact = Stateful.Run(search, Tickers(5, 5), 1_000, reduce: false, workers: workers, store: StateStore.HashCompact64).TestReport;

        Assert.Equal(TickerStates, exact.StateSpace!.States);
        Assert.Equal(
            (exact.StateSpace.States, exact.StateSpace.Transitions, exact.StateSpace.TerminalStates),
            (compact.StateSpace!.States, compact.StateSpace.Transitions, compact.StateSpace.TerminalStates));
        Assert.True(compact.Exhausted);

        // n^2 / 2^65 against n^2 / 2^97: the 32 bits fewer cost a factor of 2^32.
        double n = TickerStates;
        Assert.Equal(n * n / Math.Pow(2, 65), compact.StateSpace.CollisionProbability, 1e-20);
        Assert.Equal(n * n / Math.Pow(2, 97), exact.StateSpace.CollisionProbability, 1e-30);
        Assert.Contains("Store         hash compaction: a 64-bit fingerprint a state (8 bytes), no depths; probability that two states collided about 7.7E-12", compact.Summary(), StringComparison.Ordinal);
        Assert.Contains("Store         hash compaction: 96 bits of a state's hash and its depth (16 bytes)", exact.Summary(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Bitstate_WithAmpleBits_OmitsNothing(int workers)
    {
        // 2^24 bits for 16,807 states at 3 bits each: an omission has odds below 10^-11 a state.
        TestReport r = Stateful.Run("stateful-dfs", Tickers(5, 5), 1_000, reduce: false, workers: workers, store: StateStore.Bitstate, log2Bits: 24).TestReport;

        Assert.Equal(TickerStates, r.StateSpace!.States);
        Assert.True(r.Exhausted);
        Assert.True(r.StateSpace.EstimatedOmissions < 0.001);
        Assert.Contains("exhausted (probabilistic): no bug in the 16,807 states the bitstate table took as new", r.Summary(), StringComparison.Ordinal);
        Assert.Contains("bitstate: 2^24 bits (2 MB), 3 bits a state, no depths", r.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bitstate_WithTooFewBits_OmitsStates_AndEstimatesHowMany()
    {
        // 2^12 bits for 16,807 states: the table fills, and most states are taken as seen.
        TestReport r = Stateful.Run("stateful-dfs", Tickers(5, 5), 1_000, reduce: false, store: StateStore.Bitstate, log2Bits: 12, hashes: 2).TestReport;
        StateSpaceReport s = r.StateSpace!;

        Assert.True(r.Exhausted);
        Assert.InRange(s.States, 1, TickerStates - 1);
        Assert.True(s.EstimatedOmissions > 0);
        Assert.InRange(s.EstimatedCoverage, 0.01, 0.999);
        Assert.Contains("Store         bitstate: 2^12 bits (0 MB), 2 bits a state, no depths; probabilistic: about", r.Summary(), StringComparison.Ordinal);
        Assert.Contains("reachable states were omitted (estimated coverage", r.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bitstate_OmissionEstimate_TracksWhatTheTableMissed()
    {
        // Tickers(6, 4): 6^6 = 46,656 states in 2^18 bits at 3 bits each: a few percent are lost to
        // full bits. The estimate is an expectation under uniform hashing; it must land within a
        // factor of two of the states actually missed.
        const long all = 46_656;
        TestReport r = Stateful.Run("stateful-dfs", Tickers(6, 4), 1_000, reduce: false, store: StateStore.Bitstate, log2Bits: 18).TestReport;
        long missed = all - r.StateSpace!.States;

        Assert.True(missed > 0);
        Assert.InRange(r.StateSpace.EstimatedOmissions, missed / 2.0, missed * 2.0);
    }

    [Theory]
    [InlineData(StateStore.HashCompact64)]
    [InlineData(StateStore.Bitstate)]
    public void EveryStore_FindsTheSeededBugs_WithATraceThatReplays(StateStore store)
    {
        foreach (string fixture in new[] { "lost-update", "abba-deadlock", "order-violation", "hot-at-termination" })
        {
            // Stateful.Run replays every bug from its trace text and checks it is the same bug.
            TestReport exact = Stateful.Run("stateful-bfs", ReductionTests.Fixture(fixture), 1_000, reduce: false).TestReport;
            TestReport other = Stateful.Run("stateful-bfs", ReductionTests.Fixture(fixture), 1_000, reduce: false, store: store, log2Bits: 20).TestReport;

            Assert.NotNull(exact.Bug);
            Assert.Equal(exact.Bug!.Kind, other.Bug?.Kind);
            Assert.Equal(exact.Bug.Step, other.Bug!.Step);
        }
    }

    [Fact]
    public void BitstateTable_OutsideItsSizes_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Configuration.Create().WithStateStore(StateStore.Bitstate, log2Bits: StateStoreLimits.MinLog2Bits - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Configuration.Create().WithStateStore(StateStore.Bitstate, log2Bits: StateStoreLimits.MaxLog2Bits + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Configuration.Create().WithStateStore(StateStore.Bitstate, hashes: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Configuration.Create().WithStateStore(StateStore.Bitstate, hashes: StateStoreLimits.MaxHashes + 1));
    }

    [Fact]
    public void AStoreWithoutDepths_SaysABoundCutStateWasNotReopened()
    {
        // Tickers(3, 3) has 64 states up to depth 12; a bound of 5 cuts some of them.
        TestReport r = Stateful.Run("stateful-dfs", Tickers(3, 3), 5, reduce: false, store: StateStore.HashCompact64).TestReport;

        Assert.True(r.StateSpace!.BoundCutStates > 0);
        Assert.Contains("the store keeps no depths, so a state the bound cut was not explored again when reached shallower", r.Summary(), StringComparison.Ordinal);
    }
}
