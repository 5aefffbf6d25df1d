using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;

namespace Compat.Tests;

/// <summary>State machines Coyote accepts: generic ones, class-level actions, overloaded handler names; and what a malformed one gives.</summary>
public class StateMachineDefinitionTests : BaseActorTest
{
    private sealed class Holder<T> : StateMachine
    {
        [Start]
        [OnEntry(nameof(OnIdle))]
        private sealed class Idle : State
        {
        }

        [OnEntry(nameof(OnActive))]
        private sealed class Active : State
        {
        }

        private void OnIdle() => RaiseGotoStateEvent<Active>();

        private void OnActive() => Assert(false, "{0} holding {1} reached {2}", Id, typeof(T).Name, CurrentStateName);
    }

    [Fact]
    public void StateMachine_Generic_RunsAndGoesToItsOwnStates()
    {
        TestWithError(r => r.CreateActor(typeof(Holder<int>)), "Holder<Int32>(1) holding Int32 reached Active");
    }

    [OnEventDoAction(typeof(Ping), nameof(OnPingAnywhere))]
    private sealed class Door : StateMachine
    {
        private Journal journal;

        [Start]
        [OnEntry(nameof(OnSetup))]
        [OnEventGotoState(typeof(Go), typeof(Opened))]
        private sealed class Closed : State
        {
        }

        [OnEventDoAction(typeof(Ping), nameof(OnPingOpened))]
        private sealed class Opened : State
        {
        }

        private void OnSetup(Event e) => journal = ((Setup)e).Journal;

        private void OnPingAnywhere() => journal.Add("class-level in " + CurrentStateName);

        private void OnPingOpened() => journal.Add("state-level in " + CurrentStateName);
    }

    [Fact]
    public void StateMachine_ClassLevelOnEventDoAction_AppliesInEveryStateThatDoesNotHandleTheEvent()
    {
        var journal = new Journal();
        Test(r =>
        {
            ActorId id = r.CreateActor(typeof(Door), new Setup(journal));
            r.SendEvent(id, new Ping());
            r.SendEvent(id, new Go());
            r.SendEvent(id, new Ping());
        });

        Assert.Equal(new[] { "class-level in Closed", "state-level in Opened" }, journal.Lines);
    }

    [OnEventDoAction(typeof(Ping), nameof(Handle))]
    private sealed class Overloaded : Actor
    {
        private Journal journal;

        protected override System.Threading.Tasks.Task OnInitializeAsync(Event initialEvent)
        {
            journal = ((Setup)initialEvent).Journal;
            return System.Threading.Tasks.Task.CompletedTask;
        }

        private void Handle() => journal.Add("no parameter");

        private void Handle(Event e) => journal.Add("event " + e.GetType().Name);

        private void Handle(int times) => journal.Add("int " + times);
    }

    [Fact]
    public void Actor_OverloadedHandlerName_BindsTheParameterlessOverload()
    {
        var journal = new Journal();
        Test(r => r.SendEvent(r.CreateActor(typeof(Overloaded), new Setup(journal)), new Ping()));

        Assert.Equal(new[] { "no parameter" }, journal.Lines);
    }

    private sealed class TwoStarts : StateMachine
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

    [Fact]
    public void StateMachine_WithTwoStartStates_IsADefinitionError_NotABug()
    {
        // Decided here (Coyote reports it as a bug): a malformed model is an input error, with no
        // trace, and the CLI exits 1, not 2; see docs/coyote-compat.md.
        using TestingEngine engine = TestingEngine.Create(GetConfiguration(), r => r.CreateActor(typeof(TwoStarts)));
        engine.Run();

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal("TwoStarts has more than one [Start] state: First and Second.", engine.TestReport.Error);
        Assert.Empty(engine.ReproducibleTrace);
    }

    private sealed class TwoHandlers : StateMachine
    {
        [Start]
        [OnEventDoAction(typeof(Ping), nameof(OnPing))]
        [OnEventGotoState(typeof(Ping), typeof(Done))]
        private sealed class Waiting : State
        {
        }

        private sealed class Done : State
        {
        }

        private void OnPing()
        {
        }
    }

    [Fact]
    public void StateMachine_WithTwoHandlersForOneEventInAState_IsADefinitionError()
    {
        using TestingEngine engine = TestingEngine.Create(GetConfiguration(), r => r.SendEvent(r.CreateActor(typeof(TwoHandlers)), new Ping()));
        engine.Run();

        Assert.Null(engine.TestReport.Bug);
        Assert.Empty(engine.TestReport.BugReports);
        Assert.Equal("TwoHandlers.Waiting declares more than one handler for Ping.", engine.TestReport.Error);
        Assert.Empty(engine.ReproducibleTrace);
    }

    /// <summary>Owns the state <see cref="Misdirected"/> and <see cref="RaisesAForeignState"/> name as a target.</summary>
    private sealed class Elsewhere : StateMachine
    {
        [Start]
        internal sealed class Away : State
        {
        }
    }

    private sealed class Misdirected : StateMachine
    {
        [Start]
        [OnEventGotoState(typeof(Ping), typeof(Elsewhere.Away))]
        private sealed class Home : State
        {
        }
    }

    [Fact]
    public void StateMachine_GoingToAStateItDoesNotDeclare_IsADefinitionError()
    {
        using TestingEngine engine = TestingEngine.Create(GetConfiguration(), r => r.SendEvent(r.CreateActor(typeof(Misdirected)), new Ping()));
        engine.Run();

        Assert.Null(engine.TestReport.Bug);
        Assert.Empty(engine.TestReport.BugReports);
        Assert.Equal("Away is not a state of Misdirected.", engine.TestReport.Error);
        Assert.Empty(engine.ReproducibleTrace);
    }

    private sealed class RaisesAForeignState : StateMachine
    {
        [Start]
        [OnEventDoAction(typeof(Go), nameof(OnGo))]
        private sealed class Home : State
        {
        }

        private void OnGo() => RaiseGotoStateEvent<Elsewhere.Away>();
    }

    [Fact]
    public void StateMachine_RaisingAGotoToAStateItDoesNotDeclare_IsADefinitionError_WhenRaised()
    {
        using TestingEngine engine = TestingEngine.Create(GetConfiguration(), r => r.SendEvent(r.CreateActor(typeof(RaisesAForeignState)), new Go()));
        engine.Run();

        Assert.Null(engine.TestReport.Bug);
        Assert.Empty(engine.TestReport.BugReports);
        Assert.Equal("Away is not a state of RaisesAForeignState.", engine.TestReport.Error);
    }
}
