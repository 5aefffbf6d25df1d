using Verify.Logging;
using Verify.Runtime;
using Verify.Strategies;
using Verify.Traces;

namespace Verify.Actors;

/// <summary>
/// Makes a runtime for a program outside a test, as Coyote's <c>RuntimeFactory.Create()</c> does,
/// so a sample's <c>Main</c> can create actors and send them events. It is a host for samples and
/// demos, not a production runtime: actors run on the thread that calls CreateActor or SendEvent,
/// one step at a time in an order picked at random, until none can run (at most the configuration's
/// unfair step bound per call). Time does not pass: a timer fires when it is picked. Model log lines
/// go to the console. A failed assertion or unhandled exception calls OnFailure and stops the host.
/// </summary>
public static class RuntimeFactory
{
    public static IActorRuntime Create() => Create(null);

    public static IActorRuntime Create(Configuration? configuration)
    {
        Configuration c = configuration ?? Configuration.Create();
        ulong seed = c.RandomGeneratorSeed ?? (ulong)DateTime.UtcNow.Ticks;
        var strategy = new RandomStrategy(seed);
        strategy.PrepareIteration(0);
        var settings = new RunSettings(int.MaxValue, false, int.MaxValue, false, c.TimeoutDelay);
        return new ActorRuntime(strategy, new DecisionLog(), settings, log: false)
        {
            HostBudget = Math.Max(1, c.MaxUnfairSchedulingSteps),
            Logger = new ConsoleLogger(),
        };
    }
}
