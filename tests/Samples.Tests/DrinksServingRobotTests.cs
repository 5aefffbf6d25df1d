using System.Collections.Generic;
using Samples.DrinksServingRobot;
using Verify;
using Verify.SystematicTesting;
using Xunit;

namespace Samples.Tests;

public class DrinksServingRobotTests
{
    private static Configuration Random(uint iterations) => Configuration.Create()
        .WithTestingIterations(iterations).WithRandomGeneratorSeed(5).WithRandomStrategy().WithTimeoutDelay(3);

    [Fact]
    public void DrinksServingRobot_LosesAnOrder_WhenASecondArrivesWhileBusy()
    {
        TestingEngine engine = SampleRuns.FindBug(Random(200), DrinksServingRobotSample.Execute, BugKind.Liveness);

        Assert.StartsWith("Monitor ServedMonitor detected a liveness bug: in hot state Waiting at the end of the run", engine.TestReport.Bug.Message);

        // The interleaving the header describes: the second order reached the robot while it was busy.
        string trace = engine.ReadableTrace;
        Assert.Matches("Robot\\(2\\) in (Planning|Moving) dequeues DrinkOrderEvent", trace);
        SampleRuns.ReplayBug(engine, DrinksServingRobotSample.Execute);
    }

    [Fact]
    public void DrinksServingRobot_Fixed_ServesBothTables_AndNeverSeesAStaleTick()
    {
        TestingEngine engine = SampleRuns.Explore(Random(300), DrinksServingRobotSample.ExecuteFixed);

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(300, engine.TestReport.Iterations);
        Assert.Equal(300, engine.TestReport.TerminatedRuns);
    }

    [Fact]
    public void DrinksServingRobot_RunsAsAProgram_UnderRuntimeFactoryCreate()
    {
        var failures = new List<string>();
        for (ulong seed = 1; seed <= 20; seed++)
        {
            Assert.Equal(2, DrinksServingRobotHost.Run(seed, failures.Add));
        }

        Assert.Empty(failures);
    }
}
