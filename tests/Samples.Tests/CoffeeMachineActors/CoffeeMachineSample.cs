// CoffeeMachineActors: an espresso machine controller with a failover, and a SAFETY bug.
//
// What it shows: a CoffeeMachineController drives hardware (MockSensors) that outlives it; a
// FailoverDriver orders a double espresso, terminates the controller at a random moment and
// starts a new one. Time is modelled by RandomTimer actors that fire after a nondeterministic
// number of ticks (RandomBoolean). The models use [Start], [OnEntry], [OnEventGotoState],
// [OnEventDoAction], states inheriting handlers from an abstract state, [DeferEvents] (buttons
// wait while the pump pours), [IgnoreEvents] (stale timer ticks and sensor reports),
// RaiseGotoStateEvent, RaiseHaltEvent and HaltEvent. CupMonitor checks the cup.
//
// The bug: the controller logs a shot in the sensors' memory only when it completes. When the
// failover hits while a shot pours, the new controller does not know about that shot and pours
// the order again from the log: the cup gets three shots. Only that window (terminate arrives
// after the shot button and before its completion) shows the bug; a failover while grinding,
// between shots or during cleanup is handled correctly. The failover timer usually fires long
// before the first shot, so uniform random scheduling rarely reaches the window (not once in
// 1000 iterations for seeds 1 to 10), while prioritization, which can starve the timer, finds
// it within a few hundred.
//
// The same file compiles against Coyote 1.7 after replacing `Verify` by `Microsoft.Coyote`
// in the using lines.
using Verify.Actors;
using Verify.SystematicTesting;

namespace Samples.CoffeeMachineActors;

public static class CoffeeMachineSample
{
    [Test]
    public static void Execute(IActorRuntime runtime)
    {
        runtime.RegisterMonitor<CupMonitor>();
        runtime.CreateActor(typeof(FailoverDriver));
    }
}
