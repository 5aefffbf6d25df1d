using Verify.Actors;
using Verify.Runtime;
using Verify.StateSpace;
using Verify.Traces;

namespace Checker.Tests.StateSpace;

/// <summary>Runs a test body and chosen actor steps on a bare runtime, then hashes the state.</summary>
internal static class Capture
{
    /// <summary>The state hash after the body and the steps (actor ids, in order).</summary>
    internal static UInt128 HashOf(Action<IActorRuntime> body, params int[] steps)
    {
        var runtime = new ActorRuntime(new ValueOracle(), new DecisionLog(), new RunSettings(1_000, false, 500, false), log: false);
        ActorRuntime? outer = ActorRuntime.SwapCurrent(runtime);
        try
        {
            runtime.RunBody(r =>
            {
                body(r);
                return null;
            });
            foreach (int id in steps)
            {
                runtime.RunStep(id, 1);
            }

            if (runtime.Bug is not null)
            {
                throw new InvalidOperationException("fixture hit a bug: " + runtime.Bug.Summary);
            }

            return new StateCapture().Capture(runtime);
        }
        finally
        {
            ActorRuntime.SwapCurrent(outer);
        }
    }
}
