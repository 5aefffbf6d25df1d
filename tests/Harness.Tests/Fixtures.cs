using Verify.Actors;
using Verify.Specifications;
using Verify.SystematicTesting;

namespace Verify.Harness.Tests;

/// <summary>Small models the CLI tests run through `verify test this.dll -m ...`.</summary>
public static class Fixtures
{
    /// <summary>Two writers race to set a register; the checker must see the second write first.</summary>
    [Test]
    public static void RacyRegister(IActorRuntime runtime)
    {
        ActorId register = runtime.CreateActor(typeof(Register));
        runtime.CreateActor(typeof(Writer), new Writer.Setup(register, 1));
        runtime.CreateActor(typeof(Writer), new Writer.Setup(register, 2));
    }

    /// <summary>A machine without a [Start] state: a malformed model, not a bug.</summary>
    [Test]
    public static void Malformed(IActorRuntime runtime) => runtime.CreateActor(typeof(NoStart));

    internal sealed class Write(int value) : Event
    {
        public int Value { get; } = value;
    }

    internal sealed class Register : StateMachine
    {
        private int writes;

        [Start]
        [OnEventDoAction(typeof(Write), nameof(OnWrite))]
        private sealed class Holding : State
        {
        }

        private void OnWrite(Event e)
        {
            int v = ((Write)e).Value;
            writes++;
            Specification.Assert(writes != 1 || v == 1, "Register saw write {0} first.", v);
        }
    }

    internal sealed class Writer : StateMachine
    {
        internal sealed class Setup(ActorId register, int value) : Event
        {
            public ActorId Register { get; } = register;

            public int Value { get; } = value;
        }

        [Start]
        [OnEntry(nameof(OnStart))]
        private sealed class Writing : State
        {
        }

        private void OnStart(Event e)
        {
            var s = (Setup)e;
            SendEvent(s.Register, new Write(s.Value));
        }
    }

    internal sealed class NoStart : StateMachine
    {
        private sealed class Idle : State
        {
        }
    }
}
