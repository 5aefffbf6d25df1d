using Verify;
using Verify.Actors;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Compat.Tests;

public class MonitorTests : BaseActorTest
{
    private sealed class Checked : Monitor.Event
    {
    }

    private sealed class Counter : Monitor
    {
        private int seen;

        [Start]
        [OnEventDoAction(typeof(Checked), nameof(OnChecked))]
        private sealed class Counting : State
        {
        }

        private void OnChecked()
        {
            seen++;
            Assert(seen < 2, "{0} saw {1} checks in {2}", GetType().Name, seen, CurrentStateName);
        }
    }

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class Reporter : Actor
    {
        private void OnPing()
        {
            Monitor(typeof(Counter), new Checked());
            Notify<Counter>(new Checked());
        }

        // Compiles only because Monitor<T> has no `where T : Monitor` constraint, as in Coyote.
        private void Notify<T>(Monitor.Event e) => Monitor<T>(e);
    }

    [Fact]
    public void Actor_MonitorByTypeAndByUnconstrainedGeneric_NotifyTheMonitor()
    {
        TestWithError(
            r =>
            {
                r.RegisterMonitor(typeof(Counter));
                r.SendEvent(r.CreateActor(typeof(Reporter)), new Ping());
            },
            "Counter saw 2 checks in Counting",
            kind: BugKind.Assertion);
    }

    private sealed class Waiter : Monitor
    {
        [Start]
        [Hot]
        [IgnoreEvents(typeof(Checked))]
        private sealed class Waiting : State
        {
        }
    }

    [Fact]
    public void Monitor_HotAtTheEnd_IsALivenessBug_NamingTheHotState()
    {
        // Coyote's key words for this bug are "hot state"; the message keeps them (its Coyote wording,
        // "detected liveness bug", would change the bug line of traces already committed).
        TestReport report = TestWithError(
            r => r.RegisterMonitor<Waiter>(),
            "Monitor Waiter detected a liveness bug: in hot state Waiting at the end of the run (terminated at step 0).",
            kind: BugKind.Liveness);

        Assert.Contains("hot state", Assert.Single(report.BugReports));
    }

    private sealed class Threshold<T> : Monitor
    {
        // typeof(Tripped) cannot appear in an attribute of a generic class (C# forbids type parameters there).
        [Start]
        [OnEventDoAction(typeof(Checked), nameof(OnChecked))]
        private sealed class Armed : State
        {
        }

        [OnEntry(nameof(OnTripped))]
        private sealed class Tripped : State
        {
        }

        private void OnChecked() => RaiseGotoStateEvent<Tripped>();

        private void OnTripped() => Assert(false, "{0} of {1} tripped in {2}", GetType().Name.Split('`')[0], typeof(T).Name, CurrentStateName);
    }

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class Tripper : Actor
    {
        private void OnPing() => Monitor<Threshold<long>>(new Checked());
    }

    [Fact]
    public void Monitor_Generic_RunsItsOwnStates()
    {
        TestWithError(
            r =>
            {
                r.RegisterMonitor<Threshold<long>>();
                r.SendEvent(r.CreateActor(typeof(Tripper)), new Ping());
            },
            "Threshold of Int64 tripped in Tripped");
    }
}
