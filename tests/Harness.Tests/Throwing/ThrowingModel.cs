using Verify.Actors;
using Verify.SystematicTesting;

namespace Verify.Harness.Tests.Throwing;

/// <summary>
/// A two-scenario protocol for the model-error tests: <c>Bad.Only.Holds</c>'s handler throws (a
/// model bug, as the KVM model's per-CPU access check does), <c>Good.Only.Holds</c> runs clean.
/// Tests are named <c>Variant.Scenario.Property</c> as `verify verdicts` expects.
/// </summary>
public static class ThrowingModel
{
    [TestSource]
    public static IEnumerable<TestCaseSource> Tests =>
    [
        new("Good.Only.Holds", r => Run(r, throws: false)),
        new("Bad.Only.Holds", r => Run(r, throws: true)),
    ];

    /// <summary>A counter that a pinger bumps three times; in the bad variant the third bump throws.</summary>
    public static void Run(IActorRuntime runtime, bool throws)
    {
        ActorId counter = runtime.CreateActor(typeof(Counter), new Counter.Setup(throws));
        runtime.CreateActor(typeof(Pinger), new Pinger.Setup(counter));
    }

    internal sealed class Bump : Event;

    internal sealed class Counter : StateMachine
    {
        private bool throws;
        private int bumps;

        internal sealed class Setup(bool throws) : Event
        {
            public bool Throws { get; } = throws;
        }

        [Start]
        [OnEntry(nameof(Init))]
        [OnEventDoAction(typeof(Bump), nameof(OnBump))]
        private sealed class Counting : State
        {
        }

        private void Init(Event e) => throws = ((Setup)e).Throws;

        private void OnBump()
        {
            bumps++;
            if (throws && bumps == 3)
            {
                throw new InvalidOperationException("the counter reached three bumps");
            }
        }
    }

    internal sealed class Pinger : StateMachine
    {
        internal sealed class Setup(ActorId counter) : Event
        {
            public ActorId Counter { get; } = counter;
        }

        [Start]
        [OnEntry(nameof(Go))]
        private sealed class Pinging : State
        {
        }

        private void Go(Event e)
        {
            ActorId counter = ((Setup)e).Counter;
            SendEvent(counter, new Bump());
            SendEvent(counter, new Bump());
            SendEvent(counter, new Bump());
        }
    }
}
