using Verify;
using Verify.Protocols.Qpw;
using Verify.SystematicTesting;
using Xunit;
using QpwProperty = Verify.Protocols.Qpw.Property;

namespace Protocols.Tests.Qpw;

/// <summary>
/// A work mix: two drainers drain different callers' per-CPU data at once (<see cref="Scenario.SecondCaller"/>),
/// each with its own locks, work items and drainers' mutex, through the same kworkers; the ecpu
/// design's per-CPU locks are one set for both.
/// </summary>
public sealed class WorkMixTests
{
    private static Scenario Mix(Caller first, Caller second) =>
        Explore.Named($"TwoDrainers{first}") with { Name = $"TwoDrainers{first}{second}", SecondCaller = second };

    private static readonly QpwProperty[] Safety = [QpwProperty.MutualExclusion, QpwProperty.RightCpu, QpwProperty.Conservation, QpwProperty.DrainedByReturn, QpwProperty.FlushCompletes];

    [Theory]
    [InlineData(Variant.QpwV2Rt, Caller.Lru, Caller.Memcg)]
    [InlineData(Variant.QpwV2On, Caller.Lru, Caller.Slub)]
    [InlineData(Variant.Baseline, Caller.Slub, Caller.Lru)]
    [InlineData(Variant.EcpuEmulationRt, Caller.Lru, Caller.Slub)]
    public void BothDrainsReturn_AndTheFirstStatesOfABreadthFirstSearchHoldTheSafetyAndCompletionProperties(Variant variant, Caller first, Caller second)
    {
        Scenario mix = Mix(first, second);
        QpwParams p = QpwParams.Minimal with { Properties = Safety, PreemptRt = variant == Variant.EcpuEmulationRt ? true : null };

        // Two drainers on two CPUs: the whole space can be millions of states (as TwoDrainers' own
        // cells), so the search covers every schedule of its first 100,000 states, or all of them
        // where there are fewer (PREEMPT_RT's kworkers drain both callers' data in 53,153).
        TestReport searched = ModelRuns.Checked(ModelRuns.Stateful("stateful-bfs").WithMaxStates(100_000), r => QpwModel.Run(r, variant, mix, p)).TestReport;
        var stats = new QpwStatistics();
        ModelRuns.Checked(ModelRuns.Sampling(20, 0), r => QpwModel.Run(r, variant, mix, p with { Statistics = stats, Properties = [] }));

        // Each run's two drains, one per caller, started and returned (DrainedByReturn, in the search,
        // checks each against its own caller's items).
        Assert.Equal(40, stats.Drains);
        Assert.Equal(40, stats.DrainsReturned);
        Assert.Null(searched.Bug);
        Assert.True(searched.Exhausted || searched.StateSpace?.States == 100_000, "the search stopped early");
    }

    [Fact]
    public void Statistics_CountEachDrainsItemsAgainstItsOwnStart()
    {
        // Two drains in flight at once, each of another caller's data: each return is measured
        // against what its own drain found when it began, not the other's.
        var stats = new QpwStatistics();
        stats.Observe(new DrainAllStarted("lru_drainer", [0, 2], Caller.Lru));
        stats.Observe(new DrainAllStarted("memcg_drainer", [2, 0], Caller.Memcg));
        stats.Observe(new DrainAllReturned("lru_drainer", [0, 1]));
        stats.Observe(new DrainAllReturned("memcg_drainer", [2, 0]));

        Assert.Equal(2, stats.Drains);
        Assert.Equal(2, stats.DrainsReturned);
        Assert.Equal(1, stats.ItemsNotDrainedAtReturn);
    }
}
