using Verify.Harness.Reference;
using Verify.SystematicTesting;
using Xunit;

namespace Verify.Harness.Tests;

/// <summary>
/// The live count behind the progress line of `verify test` and `verify verdicts`: what a run has
/// done, read while it runs; after the run it equals what the report says was done.
/// </summary>
public sealed class ProgressTests
{
    [Fact]
    public void ASamplingRun_CountsItsIterations()
    {
        Configuration config = Configuration.Create().WithTestingIterations(40).WithRandomGeneratorSeed(3).WithStrategy("random", 0);
        TestingEngine engine = TestingEngine.Create(config, PingPong.Execute);
        Assert.Equal(0, engine.Progress);

        engine.Run();

        Assert.False(engine.ProgressCountsStates);
        Assert.Equal(engine.TestReport.Iterations, engine.Progress);
        Assert.Equal(40, engine.Progress);
        Assert.Equal("40/40 iterations, 20/s, 2 s", Runner.Line(engine, config, TimeSpan.FromSeconds(2)));
    }

    [Theory]
    [InlineData("stateful-bfs", 1)]
    [InlineData("stateful-dfs", 1)]
    [InlineData("stateful-dfs", 2)]
    public void AStatefulSearch_CountsItsDistinctStates(string strategy, int workers)
    {
        Configuration config = Configuration.Create().WithStrategy(strategy, 0).WithParallelism(workers);
        TestingEngine engine = TestingEngine.Create(config, Fixtures.RacyRegister);

        engine.Run();

        Assert.True(engine.ProgressCountsStates);
        Assert.True(engine.Progress > 0);
        Assert.Equal(engine.TestReport.StateSpace!.States, engine.Progress);
    }

    [Fact]
    public void TheProcessCount_GrowsByEveryRunsIterations()
    {
        long before = TestingEngine.ProgressInProcess;
        TestingEngine engine = TestingEngine.Create(Configuration.Create().WithTestingIterations(25).WithRandomGeneratorSeed(1).WithStrategy("random", 0), PingPong.Execute);

        engine.Run();

        Assert.True(TestingEngine.ProgressInProcess - before >= 25);
    }

    [Fact]
    public void OutputAboveTheLiveLine_ErasesItFirst()
    {
        var terminal = new StringWriter();
        var progress = new Progress(terminal);

        progress.Show("12 runs");
        progress.Above().WriteLine("| table row |");
        progress.Above().Write("x");

        Assert.Equal("\r12 runs" + "\r       \r" + "| table row |" + Environment.NewLine + "x", terminal.ToString());
    }
}
