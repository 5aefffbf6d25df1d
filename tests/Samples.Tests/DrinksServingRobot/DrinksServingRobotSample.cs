// DrinksServingRobot: a robot serving drinks to tables, and a LIVENESS bug.
//
// What it shows: OnEventUnhandledAsync (the robot logs an event it cannot handle before the
// engine reports it), periodic timers stopped with StopTimer (the travel timer: ticks it already
// sent are dropped, so Idle never sees a stale one), one-shot timers made rarer with
// Configuration.WithTimeoutDelay (the client's second order), a hot/cold liveness monitor,
// AwaitableEventGroup (the host waits for both drinks), and a RuntimeFactory.Create() host.
//
// The bug: a robot that does not queue orders replaces the order in hand when a second one
// arrives while it plans or walks, so the first table never gets its drink and ServedMonitor is
// still hot when the run ends. Only a second order arriving while the robot is busy shows it.
//
// The same file compiles against Coyote 1.7 after replacing `Verify` by `Microsoft.Coyote`
// in the using lines.
using Verify.Actors;
using Verify.SystematicTesting;

namespace Samples.DrinksServingRobot;

public static class DrinksServingRobotSample
{
    [Test]
    public static void Execute(IActorRuntime runtime) => Start(runtime, queuesOrders: false);

    [Test]
    public static void ExecuteFixed(IActorRuntime runtime) => Start(runtime, queuesOrders: true);

    internal static ActorId Start(IActorRuntime runtime, bool queuesOrders, EventGroup group = null)
    {
        runtime.RegisterMonitor<ServedMonitor>();
        ActorId planner = runtime.CreateActor(typeof(RoutePlanner));
        ActorId robot = runtime.CreateActor(typeof(Robot), new RobotSetup(planner, queuesOrders));
        return runtime.CreateActor(typeof(Client), new ClientSetup(robot), group);
    }
}
