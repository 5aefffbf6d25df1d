using System;
using Verify;
using Verify.Actors;

namespace Samples.DrinksServingRobot;

/// <summary>
/// The sample as a program, outside any test: what a Coyote sample's Main does with
/// RuntimeFactory.Create(). The actors run on this thread during CreateActor.
/// </summary>
public static class DrinksServingRobotHost
{
    /// <summary>Serves one client; returns the drinks served, or -1 if the client was not served in full.</summary>
    public static int Run(ulong seed, Action<string> onFailure)
    {
        IActorRuntime runtime = RuntimeFactory.Create(Configuration.Create().WithRandomGeneratorSeed(seed));
        runtime.OnFailure += ex => onFailure(ex.Message);
        var served = new AwaitableEventGroup<int>();
        DrinksServingRobotSample.Start(runtime, queuesOrders: true, served);
        return served.IsCompleted ? served.Task.Result : -1;
    }
}
