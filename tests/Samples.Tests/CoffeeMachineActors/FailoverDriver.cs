using Verify.Actors;

namespace Samples.CoffeeMachineActors;

/// <summary>
/// Orders a double espresso, and at a random moment (a <see cref="RandomTimer"/>) pulls the
/// plug on the controller and starts a new one on the same sensors, as a failover would. The
/// sensors, like real hardware, survive the restart.
/// </summary>
internal class FailoverDriver : StateMachine
{
    private const int ShotsOrdered = 2;

    private ActorId sensors;
    private ActorId machine;
    private ActorId failoverTimer;
    private bool coffeeCompleted;

    [Start]
    [OnEntry(nameof(OnInit))]
    [OnEventDoAction(typeof(TimerElapsedEvent), nameof(OnFailover))]
    [OnEventGotoState(typeof(CoffeeCompletedEvent), typeof(Done))]
    private class Brewing : State
    {
    }

    // The terminated controller may have finished the coffee just before it was stopped.
    [OnEventDoAction(typeof(CoffeeCompletedEvent), nameof(OnCompletedBeforeHalt))]
    [OnEventDoAction(typeof(MachineHaltedEvent), nameof(OnMachineHalted))]
    private class Restarting : State
    {
    }

    [OnEventGotoState(typeof(CoffeeCompletedEvent), typeof(Done))]
    private class Restarted : State
    {
    }

    [OnEntry(nameof(OnDone))]
    [IgnoreEvents(typeof(TimerElapsedEvent))]
    private class Done : State
    {
    }

    private void OnInit()
    {
        this.sensors = this.CreateActor(typeof(MockSensors));
        this.Monitor<CupMonitor>(new CupOrderedEvent(ShotsOrdered));
        this.machine = this.CreateActor(typeof(CoffeeMachineController), new MachineConfigEvent(this.sensors, this.Id, ShotsOrdered));
        this.failoverTimer = this.CreateActor(typeof(RandomTimer), new TimerConfigEvent(this.Id));
    }

    private void OnFailover()
    {
        this.Logger.WriteLine("Failover: terminating {0}.", this.machine);
        this.SendEvent(this.machine, new TerminateEvent());
        this.RaiseGotoStateEvent<Restarting>();
    }

    private void OnCompletedBeforeHalt()
    {
        this.coffeeCompleted = true;
    }

    private void OnMachineHalted()
    {
        if (this.coffeeCompleted)
        {
            this.RaiseGotoStateEvent<Done>();
            return;
        }

        this.machine = this.CreateActor(typeof(CoffeeMachineController), new MachineConfigEvent(this.sensors, this.Id, ShotsOrdered));
        this.RaiseGotoStateEvent<Restarted>();
    }

    private void OnDone()
    {
        // Cancel the failover if it has not happened; a timer that has fired ignores this.
        this.SendEvent(this.failoverTimer, HaltEvent.Instance);
        this.Monitor<CupMonitor>(new CupServedEvent());
    }
}
