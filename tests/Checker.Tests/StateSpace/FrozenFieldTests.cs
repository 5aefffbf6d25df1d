using Verify;
using Verify.Actors;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.StateSpace;

/// <summary>
/// [Frozen] fields are left out of the state; <see cref="Configuration.WithFrozenFieldCheck"/>
/// hashes them at every state and fails the search when one changed after its first state.
/// </summary>
public sealed class FrozenFieldTests
{
    [Fact]
    public void ConstantFrozenFields_PassTheCheck_AndTheSpaceIsTheSame()
    {
        StateSpaceReport plain = Run(writesFrozen: false, check: false).StateSpace!;
        TestReport checkedRun = Run(writesFrozen: false, check: true);

        Assert.Null(checkedRun.Error);
        Assert.True(checkedRun.Exhausted);
        Assert.Equal(plain.States, checkedRun.StateSpace!.States);
        Assert.Equal(plain.Transitions, checkedRun.StateSpace!.Transitions);
    }

    [Fact]
    public void FrozenField_WrittenAfterSetup_FailsTheCheck()
    {
        Assert.Null(Run(writesFrozen: true, check: false).Error);

        TestReport report = Run(writesFrozen: true, check: true);

        Assert.NotNull(report.Error);
        Assert.StartsWith("State capture failed: the [Frozen] field settings of Checker.Tests.StateSpace.FrozenFieldTests+Counter changed after the state it was first seen in (Checker.Tests.StateSpace.FrozenFieldTests+Settings differs)", report.Error, StringComparison.Ordinal);
    }

    private static TestReport Run(bool writesFrozen, bool check)
    {
        Configuration config = Configuration.Create().WithStrategy("stateful-dfs", 0).WithFrozenFieldCheck(check);
        return Stateful.Run(config, r => r.CreateActor(typeof(Counter), new Counter.Setup(writesFrozen))).TestReport;
    }

    internal sealed class Settings
    {
        public int Ticks;
        public int Writes;
    }

    /// <summary>Counts to its frozen settings' bound; its frozen alias reaches the box the state holds, whose contents change.</summary>
    internal sealed class Counter : StateMachine
    {
        [Frozen]
        private readonly Settings settings = new() { Ticks = 3 };

        private readonly Models.Box box = new();

        [Frozen]
        private readonly Models.Box alias;

        private bool writesFrozen;

        public Counter()
        {
            alias = box;
        }

        internal sealed class Setup(bool writesFrozen) : Event
        {
            public bool WritesFrozen { get; } = writesFrozen;
        }

        [Start]
        [OnEntry(nameof(Begin))]
        [OnEventDoAction(typeof(DefaultEvent), nameof(Tick))]
        private sealed class Counting : State
        {
        }

        private sealed class Done : State
        {
        }

        private void Begin(Event e) => writesFrozen = ((Setup)e).WritesFrozen;

        private void Tick()
        {
            alias.Value++;
            if (writesFrozen)
            {
                settings.Writes++;
            }

            if (box.Value == settings.Ticks)
            {
                RaiseGotoStateEvent<Done>();
            }
        }
    }
}
