using System.Threading.Tasks;
using Verify.Actors;

namespace Samples.CoffeeMachineActors;

/// <summary>
/// The controller: reads the sensors, grinds until the porta filter is full, pours the ordered
/// shots one by one, dumps the grounds and reports the coffee done. It may be terminated at any
/// moment (see <see cref="FailoverDriver"/>); a new controller then resumes from what the
/// sensors report, including the shot log it keeps in their non-volatile memory.
///
/// THE BUG: the shot log is written when a shot completes. If the controller is terminated
/// while a shot is pouring, that shot is in no log: the new controller pours it again, and the
/// cup gets one shot too many. (A fix: log the shot before pressing the button, and on restart
/// treat a logged but unconfirmed shot as poured.)
/// </summary>
internal class CoffeeMachineController : StateMachine
{
    private ActorId sensors;
    private ActorId customer;
    private int shotsOrdered;
    private int shotsPoured;
    private int? portaFilterLevel;
    private int? shotLog;

    [OnEventDoAction(typeof(TerminateEvent), nameof(OnTerminate))]
    private abstract class Running : State
    {
    }

    [Start]
    [OnEntry(nameof(OnInit))]
    private class Init : Running
    {
    }

    // Completions of a shot started by a terminated controller are not ours to count.
    [OnEventDoAction(typeof(PortaFilterLevelEvent), nameof(OnPortaFilterLevel))]
    [OnEventDoAction(typeof(ShotLogEvent), nameof(OnShotLog))]
    [IgnoreEvents(typeof(ShotCompleteEvent))]
    private class CheckSensors : Running
    {
    }

    [OnEntry(nameof(StartGrinder))]
    [OnEventDoAction(typeof(PortaFilterLevelEvent), nameof(OnGrindProgress))]
    [IgnoreEvents(typeof(ShotCompleteEvent))]
    private class Grinding : Running
    {
    }

    // A full porta filter is reported more than once; late reports are stale.
    [OnEntry(nameof(PressShotButton))]
    [OnEventDoAction(typeof(ShotCompleteEvent), nameof(OnShotComplete))]
    [IgnoreEvents(typeof(PortaFilterLevelEvent))]
    private class MakingShots : Running
    {
    }

    [OnEntry(nameof(DumpGrinds))]
    [OnEventGotoState(typeof(GrindsDumpedEvent), typeof(Ready))]
    [IgnoreEvents(typeof(PortaFilterLevelEvent), typeof(ShotCompleteEvent))]
    private class Cleanup : Running
    {
    }

    [OnEntry(nameof(OnReady))]
    [IgnoreEvents(typeof(PortaFilterLevelEvent), typeof(ShotCompleteEvent))]
    private class Ready : Running
    {
    }

    /// <summary>Called before the engine reports an event no state handles: the log says where the machine was.</summary>
    protected override Task OnEventUnhandledAsync(Event e, string state)
    {
        this.Logger.WriteLine("### The controller in {0} cannot handle {1}.", state, e.GetType().Name);
        return Task.CompletedTask;
    }

    private void OnInit(Event e)
    {
        var config = e as MachineConfigEvent;
        this.sensors = config.Sensors;
        this.customer = config.Customer;
        this.shotsOrdered = config.Shots;
        this.SendEvent(this.sensors, new RegisterClientEvent(this.Id));
        this.SendEvent(this.sensors, new ReadPortaFilterLevelEvent());
        this.SendEvent(this.sensors, new ReadShotLogEvent());
        this.RaiseGotoStateEvent<CheckSensors>();
    }

    private void OnPortaFilterLevel(Event e)
    {
        this.portaFilterLevel = (e as PortaFilterLevelEvent).Percent;
        this.ResumeWhenSensorsKnown();
    }

    private void OnShotLog(Event e)
    {
        this.shotLog = (e as ShotLogEvent).ShotsPoured;
        this.ResumeWhenSensorsKnown();
    }

    /// <summary>Picks up where a previous controller stopped, or starts afresh.</summary>
    private void ResumeWhenSensorsKnown()
    {
        if (this.portaFilterLevel is null || this.shotLog is null)
        {
            return;
        }

        this.shotsPoured = this.shotLog.Value;
        this.Logger.WriteLine("Sensors: porta filter {0}% full, {1} of {2} shots logged.", this.portaFilterLevel, this.shotsPoured, this.shotsOrdered);
        if (this.shotsPoured >= this.shotsOrdered)
        {
            this.RaiseGotoStateEvent<Cleanup>();
        }
        else if (this.portaFilterLevel.Value >= 100)
        {
            this.RaiseGotoStateEvent<MakingShots>();
        }
        else
        {
            this.RaiseGotoStateEvent<Grinding>();
        }
    }

    private void StartGrinder()
    {
        this.SendEvent(this.sensors, new GrinderButtonEvent(true));
    }

    private void OnGrindProgress(Event e)
    {
        if ((e as PortaFilterLevelEvent).Percent >= 100)
        {
            this.SendEvent(this.sensors, new GrinderButtonEvent(false));
            this.RaiseGotoStateEvent<MakingShots>();
        }
    }

    private void PressShotButton()
    {
        this.SendEvent(this.sensors, new ShotButtonEvent());
    }

    private void OnShotComplete()
    {
        this.shotsPoured++;
        this.SendEvent(this.sensors, new SaveShotLogEvent(this.shotsPoured));
        if (this.shotsPoured < this.shotsOrdered)
        {
            // Entering MakingShots again presses the button for the next shot.
            this.RaiseGotoStateEvent<MakingShots>();
        }
        else
        {
            this.RaiseGotoStateEvent<Cleanup>();
        }
    }

    private void DumpGrinds()
    {
        this.SendEvent(this.sensors, new DumpGrindsButtonEvent());
    }

    private void OnReady()
    {
        // The order is done: clear the log so the next order starts from zero.
        this.SendEvent(this.sensors, new SaveShotLogEvent(0));
        this.SendEvent(this.customer, new CoffeeCompletedEvent());
    }

    private void OnTerminate()
    {
        // Shut down safely: stop the grinder. A shot being poured cannot be stopped.
        if (this.CurrentState == typeof(Grinding))
        {
            this.SendEvent(this.sensors, new GrinderButtonEvent(false));
        }

        this.SendEvent(this.customer, new MachineHaltedEvent());
        this.RaiseHaltEvent();
    }
}
