using Checker.Tests.Fixtures;
using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.SystematicTesting;

/// <summary>`--shard i/N`: shards of one seed run exactly the iterations of one big run, split by k % N.</summary>
public sealed class ShardTests
{
    private static TestingEngine Run(Action<IActorRuntime> test, uint iterations, ulong seed, int index = 0, int count = 1, int workers = 1)
    {
        Configuration config = Configuration.Create()
            .WithStrategy("random", 0)
            .WithTestingIterations(iterations)
            .WithRandomGeneratorSeed(seed)
            .WithMaxSchedulingSteps(300)
            .WithParallelism(workers)
            .WithShard(index, count);
        TestingEngine engine = TestingEngine.Create(config, test);
        engine.Run();
        return engine;
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(4, 2)]
    public void Shards_TogetherRunTheIterationsOfOneRun(int shards, int workers)
    {
        Action<IActorRuntime> test = Gossip.Test;
        TestReport whole = Run(test, 100, seed: 8).TestReport;
        var parts = Enumerable.Range(0, shards).Select(i => Run(test, 100, seed: 8, i, shards, workers).TestReport).ToList();

        Assert.Null(whole.Bug);
        Assert.Equal(Enumerable.Range(0, shards).Select(i => (100 - i + shards - 1) / shards), parts.Select(p => p.Iterations));
        Assert.Equal(whole.Iterations, parts.Sum(p => p.Iterations));
        Assert.Equal(whole.TotalSteps, parts.Sum(p => p.TotalSteps));
        Assert.Equal(whole.TotalDecisions, parts.Sum(p => p.TotalDecisions));
        Assert.Equal(whole.StepBoundHits, parts.Sum(p => p.StepBoundHits));
        Assert.Equal(whole.MaxSteps, parts.Max(p => p.MaxSteps));
        Assert.Equal(whole.MinSteps, parts.Min(p => p.MinSteps));
        Assert.All(parts, p => Assert.Equal(shards, p.ShardCount));
    }

    [Fact]
    public void TheLowestBugOfTheShards_IsTheBugOfOneRun_WithTheSameTrace()
    {
        Action<IActorRuntime> test = OrderViolation.Test(hops: 3);
        TestingEngine whole = Run(test, 400, seed: 21);
        Assert.NotNull(whole.TestReport.Bug);
        var parts = Enumerable.Range(0, 3).Select(i => Run(test, 400, seed: 21, i, 3)).ToList();
        TestingEngine first = parts.Where(p => p.TestReport.Bug is not null).MinBy(p => p.TestReport.BugIteration)!;

        Assert.Equal(whole.TestReport.BugIteration, first.TestReport.BugIteration);
        Assert.Equal(whole.TestReport.BugIteration % 3, first.TestReport.ShardIndex);
        Assert.Equal(whole.ReproducibleTrace, first.ReproducibleTrace);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 3)]
    [InlineData(-1, 2)]
    public void Shard_OutsideItsCount_IsRejected(int index, int count)
    {
        Assert.Throws<ArgumentException>(() => Configuration.Create().WithShard(index, count));
    }
}
