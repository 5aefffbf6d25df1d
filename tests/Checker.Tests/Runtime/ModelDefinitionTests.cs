using Checker.Tests.Support;
using Verify.Actors;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.Runtime;

/// <summary>A malformed model is reported in <see cref="TestReport.Error"/>; the engine does not crash.</summary>
public sealed class ModelDefinitionTests
{
    public static TheoryData<string> Strategies => new() { "random", "prioritization", "dfs" };

    [Theory]
    [MemberData(nameof(Strategies))]
    public void MachineWithoutStartState_IsAModelError(string strategy)
    {
        TestReport report = Explore.With(strategy, r => r.CreateActor(typeof(StartlessMachine)), iterations: 3).TestReport;

        Assert.Null(report.Bug);
        Assert.Equal("StartlessMachine has no [Start] state.", report.Error);
    }

    [Fact]
    public void MachineWithTwoStartStates_IsAModelError()
    {
        TestReport report = Explore.Once(r => r.CreateActor(typeof(TwoStartMachine))).TestReport;

        Assert.Null(report.Bug);
        Assert.Equal("TwoStartMachine has more than one [Start] state: First and Second.", report.Error);
    }

    [Fact]
    public void HandlerNamingNoMethod_IsAModelError()
    {
        TestReport report = Explore.Once(r => r.CreateActor(typeof(MisspelledMachine))).TestReport;

        Assert.Null(report.Bug);
        Assert.Equal("MisspelledMachine has no method OnPingg with zero or one parameter.", report.Error);
    }

    [Fact]
    public void ActorHandlerNamingNoMethod_IsAModelError_EvenWhenCreatedInsideAHandler()
    {
        TestReport report = Explore.Once(r => r.CreateActor(typeof(Spawner))).TestReport;

        Assert.Null(report.Bug);
        Assert.Equal("MisspelledActor has no method Missing with zero or one parameter.", report.Error);
    }

    [Fact]
    public void HandlerReturningAValue_IsAModelError()
    {
        TestReport report = Explore.Once(r => r.CreateActor(typeof(ValueReturningMachine))).TestReport;

        Assert.Null(report.Bug);
        Assert.Equal("ValueReturningMachine.Compute returns Int32; handlers return void or Task.", report.Error);
    }

    [Fact]
    public void MonitorWithoutStartState_IsAModelError()
    {
        TestReport report = Explore.Once(r => r.RegisterMonitor<StartlessMonitor>()).TestReport;

        Assert.Null(report.Bug);
        Assert.Equal("StartlessMonitor has no [Start] state.", report.Error);
    }

    [Fact]
    public void CreatingATypeThatIsNotAnActor_IsAModelError()
    {
        TestReport report = Explore.Once(r => r.CreateActor(typeof(string))).TestReport;

        Assert.Null(report.Bug);
        Assert.Equal("System.String is not a concrete Actor or StateMachine type.", report.Error);
    }

    private sealed class StartlessMachine : StateMachine
    {
        private sealed class Only : State
        {
        }
    }

    private sealed class TwoStartMachine : StateMachine
    {
        [Start]
        private sealed class First : State
        {
        }

        [Start]
        private sealed class Second : State
        {
        }
    }

    private sealed class MisspelledMachine : StateMachine
    {
        [Start]
        [OnEventDoAction(typeof(Ping), "OnPingg")]
        private sealed class Active : State
        {
        }

        private void OnPing()
        {
        }
    }

    [OnEventDoAction(typeof(Ping), "Missing")]
    private sealed class MisspelledActor : Actor
    {
    }

    private sealed class Spawner : Actor
    {
        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            CreateActor(typeof(MisspelledActor));
            return Task.CompletedTask;
        }
    }

    private sealed class ValueReturningMachine : StateMachine
    {
        [Start]
        [OnEntry(nameof(Compute))]
        private sealed class Active : State
        {
        }

        private int Compute() => 42;
    }

    private sealed class StartlessMonitor : Monitor
    {
        private sealed class Watching : State
        {
        }
    }
}
