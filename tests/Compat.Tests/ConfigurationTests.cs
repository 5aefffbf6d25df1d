using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;

namespace Compat.Tests;

public class ConfigurationTests : BaseActorTest
{
    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class Echo : Actor
    {
        private void OnPing()
        {
        }
    }

    [Fact]
    public void Configuration_CoyoteSpellings_SelectTheSameSettings()
    {
        Configuration c = Configuration.Create().WithDFSStrategy().WithActivityCoverageReported().WithTimeoutDelay(5);

        Assert.Equal("dfs", c.SchedulingStrategy);
        Assert.True(c.IsActivityCoverageReported);
        Assert.Equal(5, c.TimeoutDelay);
    }

    [Fact]
    public void TestingEngine_IsDisposable_AndItsReportOutlivesIt()
    {
        TestingEngine engine;
        using (engine = TestingEngine.Create(GetConfiguration().WithDFSStrategy().WithTestingIterations(100), r =>
        {
            ActorId a = r.CreateActor(typeof(Echo));
            r.SendEvent(a, new Ping());
        }))
        {
            engine.Run();
        }

        Assert.Null(engine.TestReport.Bug);
        Assert.True(engine.TestReport.Iterations >= 1);
    }

    [Fact]
    public void Configuration_PropertiesCoyoteTestsSet_AreSettable()
    {
        Configuration c = Configuration.Create();
        c.TestingIterations = 3;
        c.RandomGeneratorSeed = 11;
        c.MaxUnfairSchedulingSteps = 40;
        c.MaxFairSchedulingSteps = 400;
        c.IsActivityCoverageReported = true;
        c.TimeoutDelay = 2;
        c.LivenessTemperatureThreshold = 30;
        c.TestingTimeout = 60;
        c.IsVerbose = false;

        TestReport report = Test(r => r.SendEvent(r.CreateActor(typeof(Echo)), new Ping()), c);

        Assert.Equal(3, report.Iterations);
        Assert.Equal(11UL, report.Seed);
        Assert.Equal(40, report.MaxUnfairSteps);
        Assert.Equal(30, report.LivenessThreshold);
        Assert.False(report.TimedOut);
        Assert.NotNull(report.Coverage);
    }
}
