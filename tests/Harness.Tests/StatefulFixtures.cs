using Verify.Actors;
using Verify.SystematicTesting;

namespace Verify.Harness.Tests;

/// <summary>Models for the stateful-search CLI tests.</summary>
public static class StatefulFixtures
{
    /// <summary>An actor keeps a delegate in a field: stateful search cannot hash it (an error, exit 1).</summary>
    [Test]
    public static void Unhashable(IActorRuntime runtime) => runtime.CreateActor(typeof(WithCallback));

    internal sealed class WithCallback : Actor
    {
        private readonly Action callback = () => { };

        internal Action Callback => callback;
    }
}
