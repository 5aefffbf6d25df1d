// The events of the CoffeeMachineActors sample, grouped by who sends them. Each is a few lines
// of immutable data, so they share one file, as in Coyote's own samples.
using Verify.Actors;

namespace Samples.CoffeeMachineActors;

// ---- driver -> coffee machine -------------------------------------------------------------

/// <summary>Initial event of a coffee machine: its sensors, who ordered, and how many shots.</summary>
internal class MachineConfigEvent : Event
{
    public readonly ActorId Sensors;
    public readonly ActorId Customer;
    public readonly int Shots;

    public MachineConfigEvent(ActorId sensors, ActorId customer, int shots)
    {
        this.Sensors = sensors;
        this.Customer = customer;
        this.Shots = shots;
    }
}

/// <summary>The failover driver pulls the plug: the machine shuts down safely and halts.</summary>
internal class TerminateEvent : Event
{
}

// ---- coffee machine -> driver -------------------------------------------------------------

internal class CoffeeCompletedEvent : Event
{
}

internal class MachineHaltedEvent : Event
{
}

// ---- coffee machine -> sensors (buttons and reads) ----------------------------------------

internal class RegisterClientEvent : Event
{
    public readonly ActorId Client;

    public RegisterClientEvent(ActorId client)
    {
        this.Client = client;
    }
}

internal class ReadPortaFilterLevelEvent : Event
{
}

/// <summary>Reads the shot log, a counter the machine keeps in the sensors' non-volatile memory.</summary>
internal class ReadShotLogEvent : Event
{
}

internal class SaveShotLogEvent : Event
{
    public readonly int ShotsPoured;

    public SaveShotLogEvent(int shotsPoured)
    {
        this.ShotsPoured = shotsPoured;
    }
}

internal class GrinderButtonEvent : Event
{
    public readonly bool PowerOn;

    public GrinderButtonEvent(bool powerOn)
    {
        this.PowerOn = powerOn;
    }
}

/// <summary>Pours one shot of espresso through the grounds in the porta filter.</summary>
internal class ShotButtonEvent : Event
{
}

internal class DumpGrindsButtonEvent : Event
{
}

// ---- sensors -> coffee machine ------------------------------------------------------------

/// <summary>How full the porta filter is with ground coffee, in percent; sent on request and while grinding.</summary>
internal class PortaFilterLevelEvent : Event
{
    public readonly int Percent;

    public PortaFilterLevelEvent(int percent)
    {
        this.Percent = percent;
    }
}

internal class ShotLogEvent : Event
{
    public readonly int ShotsPoured;

    public ShotLogEvent(int shotsPoured)
    {
        this.ShotsPoured = shotsPoured;
    }
}

internal class ShotCompleteEvent : Event
{
}

internal class GrindsDumpedEvent : Event
{
}

// ---- timers -------------------------------------------------------------------------------

/// <summary>Initial event of a <see cref="RandomTimer"/>: whom to notify.</summary>
internal class TimerConfigEvent : Event
{
    public readonly ActorId Owner;

    public TimerConfigEvent(ActorId owner)
    {
        this.Owner = owner;
    }
}

/// <summary>A timer's event to itself: one unit of time passes.</summary>
internal class TimerTickEvent : Event
{
}

internal class TimerElapsedEvent : Event
{
    public readonly ActorId Timer;

    public TimerElapsedEvent(ActorId timer)
    {
        this.Timer = timer;
    }
}

// ---- monitor notifications ----------------------------------------------------------------

internal class CupOrderedEvent : Event
{
    public readonly int Shots;

    public CupOrderedEvent(int shots)
    {
        this.Shots = shots;
    }
}

/// <summary>The pump finished a shot into the cup (sent by the sensors, which see the water flow).</summary>
internal class ShotPouredEvent : Event
{
}

internal class CupServedEvent : Event
{
}
