using Verify.Actors;
using Verify.SystematicTesting;

namespace Verify.Harness.Tests.Growing;

/// <summary>
/// A machine that enters its <c>Rare</c> state only from the 16th iteration of a campaign on, so a
/// campaign of 20 iterations covers more than its first 10: `check` must say coverage was still growing.
/// </summary>
public static class LateStateModel
{
    private static int iterations;

    [TestInit]
    public static void Reset() => iterations = 0;

    [Test]
    public static void Execute(IActorRuntime runtime)
    {
        iterations++;
        runtime.CreateActor(typeof(Late), new Late.Setup(iterations > 15));
    }

    internal sealed class Late : StateMachine
    {
        internal sealed class Setup(bool rare) : Event
        {
            public bool Rare { get; } = rare;
        }

        [Start]
        [OnEntry(nameof(Choose))]
        private sealed class Common : State
        {
        }

        private sealed class Rare : State
        {
        }

        private void Choose(Event e)
        {
            if (((Setup)e).Rare)
            {
                RaiseGotoStateEvent<Rare>();
            }
        }
    }
}
