using Verify.Harness.Commands;
using Verify.SystematicTesting;
using Xunit;

namespace Verify.Harness.Tests;

/// <summary>The weak-memory rows of `verify bench`: the litmus tests per mode, then the protocols' memory-mode rows.</summary>
public sealed class MemoryModeBenchRowsTests
{
    [Fact]
    public void MemoryModeRows_AreSbAndMpInEachMode_ThenTheKvmWindowUnderTsoAndLkmm()
    {
        const string window = "KVM/RCU GuestHlt, vcpu_put-to-idle window";
        (string, string, bool, StatefulBench.Expect)[] expected =
        [
            ("litmus SB+once, SC", "stateful-dfs", false, StatefulBench.Expect.Exhausted),
            ("litmus SB+once, TSO", "stateful-dfs", false, StatefulBench.Expect.Exhausted),
            ("litmus SB+once, TSO", "stateful-dfs", true, StatefulBench.Expect.Exhausted),
            ("litmus SB+once, LKMM", "stateful-dfs", false, StatefulBench.Expect.Exhausted),
            ("litmus MP+once, SC", "stateful-dfs", false, StatefulBench.Expect.Exhausted),
            ("litmus MP+once, TSO", "stateful-dfs", false, StatefulBench.Expect.Exhausted),
            ("litmus MP+once, TSO", "stateful-dfs", true, StatefulBench.Expect.Exhausted),
            ("litmus MP+once, LKMM", "stateful-dfs", false, StatefulBench.Expect.Exhausted),
            ($"{window}, CPlus, TSO", "stateful-bfs", false, StatefulBench.Expect.Bug),
            ($"{window}, CPlus, LKMM", "stateful-bfs", false, StatefulBench.Expect.Bug),
        ];

        Assert.Equal(expected, StatefulBench.MemoryModeRows.Select(r => (r.Model, r.Search, r.Reduce, r.Expect)));
    }

    [Theory]
    [InlineData("litmus SB+once, SC", false, 13)]
    [InlineData("litmus SB+once, TSO", false, 113)]
    [InlineData("litmus SB+once, TSO", true, 47)]
    [InlineData("litmus SB+once, LKMM", false, 14)]
    [InlineData("litmus MP+once, TSO", false, 92)]
    [InlineData("litmus MP+once, TSO", true, 36)]
    public void LitmusRow_SearchesTheStatesLitmusMdCounts(string model, bool reduce, long states)
    {
        StatefulBench.Row row = StatefulBench.MemoryModeRows.Single(r => r.Model == model && r.Reduce == reduce);
        Configuration config = Configuration.Create().WithStrategy(row.Search, 0).WithRandomGeneratorSeed(0)
            .WithMaxSchedulingSteps((uint)row.MaxSteps).WithPartialOrderReduction(row.Reduce);
        var engine = TestingEngine.Create(config, row.Test);
        engine.Run();

        Assert.Null(engine.TestReport.Bug);
        Assert.True(engine.TestReport.Exhausted);
        Assert.Equal(states, engine.TestReport.StateSpace!.States);
    }
}
