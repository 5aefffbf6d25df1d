using System.Threading.Tasks;
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

    private sealed class Deposit : Monitor.Event
    {
        public Deposit(int amount) => Amount = amount;

        public int Amount { get; }
    }

    /// <summary>Checks a balance that must stay under 10; with <c>quiet</c> it asserts without a message.</summary>
    private sealed class Balance : Monitor
    {
        private int total;

        [Start]
        [OnEventDoAction(typeof(Deposit), nameof(OnDeposit))]
        private sealed class Open : State
        {
        }

        private void OnDeposit(Event e)
        {
            total += ((Deposit)e).Amount;
            if (total == 13)
            {
                Assert(total < 10);
            }
            else
            {
                Assert(total < 10, "Balance reached {0} in {1}", total, CurrentStateName);
            }
        }
    }

    private sealed class Amount : Event
    {
        public Amount(int value) => Value = value;

        public int Value { get; }
    }

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class Depositor : Actor
    {
        private int amount;

        protected override Task OnInitializeAsync(Event initialEvent)
        {
            amount = ((Amount)initialEvent).Value;
            return Task.CompletedTask;
        }

        private void OnPing() => Monitor<Balance>(new Deposit(amount));
    }

    private static void Deposits(IActorRuntime r, int first, int second)
    {
        r.RegisterMonitor<Balance>();
        r.SendEvent(r.CreateActor(typeof(Depositor), new Amount(first)), new Ping());
        r.SendEvent(r.CreateActor(typeof(Depositor), new Amount(second)), new Ping());
    }

    [Fact]
    public void Monitor_AssertWithAMessage_IsOneAssertionBug_CarryingTheMonitorsMessageAlone()
    {
        TestReport report = TestWithError(r => Deposits(r, 4, 7), "Balance reached 11 in Open", kind: BugKind.Assertion);

        Assert.Equal("Assertion: Balance reached 11 in Open", report.Bug.Summary);
    }

    [Fact]
    public void Monitor_AssertWithoutAMessage_IsOneAssertionFailure_NamingTheMonitor()
    {
        TestReport report = TestWithError(r => Deposits(r, 6, 7), "Detected an assertion failure in monitor Balance.", kind: BugKind.Assertion);

        Assert.Contains("assertion failure", Assert.Single(report.BugReports));
    }
}
