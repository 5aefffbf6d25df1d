using System;
using Samples.CoffeeMachineActors;
using Verify.Actors;
using Verify;
using Verify.SystematicTesting;
using Xunit;

namespace Samples.Tests;

public class CoffeeMachineTests
{
    private const string ExtraShot = "The cup holds 3 shots of espresso, but 2 were ordered.";

    private static Configuration Prioritization() => Configuration.Create()
        .WithTestingIterations(1000).WithRandomGeneratorSeed(42).WithPrioritizationStrategy(false, 3);

    [Fact]
    public void CoffeeMachine_FindsSafetyBug_WithPrioritization()
    {
        TestingEngine engine = SampleRuns.FindBug(Prioritization(), CoffeeMachineSample.Execute, BugKind.Assertion);

        Assert.Equal(ExtraShot, engine.TestReport.Bug.Message);

        // The interleaving the header describes: the failover reached the controller while it
        // was making shots, after its shot button (which is the only way to pour).
        string trace = engine.ReadableTrace;
        Assert.Contains("in MakingShots dequeues TerminateEvent", trace);
        Assert.True(
            trace.IndexOf("dequeues ShotButtonEvent", System.StringComparison.Ordinal)
                < trace.IndexOf("in MakingShots dequeues TerminateEvent", System.StringComparison.Ordinal),
            "the controller was terminated before any shot was started:\n" + trace);
    }

    [Fact]
    public void CoffeeMachine_ReplaysItsBugTrace_ToTheSameAssertion()
    {
        TestingEngine engine = SampleRuns.FindBug(Prioritization(), CoffeeMachineSample.Execute, BugKind.Assertion);

        TestReport replay = SampleRuns.ReplayBug(engine, CoffeeMachineSample.Execute);

        Assert.Equal(BugKind.Assertion, replay.Bug.Kind);
        Assert.Equal(ExtraShot, replay.Bug.Message);
    }

    [Fact]
    public void CoffeeMachine_Controller_LogsAnUnhandledEvent_BeforeTheBugIsReported()
    {
        Action<IActorRuntime> test = r =>
        {
            ActorId sensors = r.CreateActor(typeof(MockSensors));
            ActorId controller = r.CreateActor(typeof(CoffeeMachineController), new MachineConfigEvent(sensors, sensors, 2));
            r.SendEvent(controller, new GrindsDumpedEvent());
        };
        TestingEngine engine = SampleRuns.FindBug(Prioritization(), test, BugKind.UnhandledEvent);

        Assert.StartsWith("CoffeeMachineController(2) received GrindsDumpedEvent that cannot be handled in ", engine.TestReport.Bug.Message);
        string state = engine.TestReport.Bug.Message.Split(" in ")[1].TrimEnd('.');
        Assert.Contains($"log: ### The controller in {state} cannot handle GrindsDumpedEvent.", engine.ReadableTrace);
        SampleRuns.ReplayBug(engine, test);
    }
}
