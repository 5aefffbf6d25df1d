using System;
using Verify.Actors;

namespace Samples.CoffeeMachineActors;

/// <summary>
/// The machine's hardware: grinder, pump, porta filter and a small non-volatile memory. It
/// outlives the controller, so a restarted controller finds the hardware as the old one left it
/// (grounds in the porta filter, a shot still pouring, the shot log). Grinding and pouring take
/// time, modelled by <see cref="RandomTimer"/> actors.
/// </summary>
internal class MockSensors : StateMachine
{
    private const int GrindStepPercent = 25;

    private ActorId client;
    private int portaFilterLevel;
    private int shotLog;
    private ActorId grinderTimer;
    private ActorId pumpTimer;

    /// <summary>Reads, the memory and client registration work in every state.</summary>
    [OnEventDoAction(typeof(RegisterClientEvent), nameof(OnRegisterClient))]
    [OnEventDoAction(typeof(ReadPortaFilterLevelEvent), nameof(OnReadPortaFilterLevel))]
    [OnEventDoAction(typeof(ReadShotLogEvent), nameof(OnReadShotLog))]
    [OnEventDoAction(typeof(SaveShotLogEvent), nameof(OnSaveShotLog))]
    private abstract class Powered : State
    {
    }

    // A timer cancelled after it had fired still delivers its tick: Idle drops such ticks.
    [Start]
    [OnEventDoAction(typeof(GrinderButtonEvent), nameof(OnGrinderButtonWhenIdle))]
    [OnEventGotoState(typeof(ShotButtonEvent), typeof(Pouring))]
    [OnEventDoAction(typeof(DumpGrindsButtonEvent), nameof(OnDumpGrinds))]
    [IgnoreEvents(typeof(TimerElapsedEvent))]
    private class Idle : Powered
    {
    }

    // The pump cannot pour and the grounds cannot be dumped while the grinder runs: those
    // buttons take effect once it stops.
    [OnEntry(nameof(StartGrinding))]
    [OnEventDoAction(typeof(TimerElapsedEvent), nameof(OnGrinderTick))]
    [OnEventDoAction(typeof(GrinderButtonEvent), nameof(OnGrinderButtonWhenGrinding))]
    [DeferEvents(typeof(ShotButtonEvent), typeof(DumpGrindsButtonEvent))]
    private class Grinding : Powered
    {
    }

    // A shot cannot be stopped halfway: every button waits until it is done.
    [OnEntry(nameof(StartPump))]
    [OnEventDoAction(typeof(TimerElapsedEvent), nameof(OnPumpTick))]
    [DeferEvents(typeof(ShotButtonEvent), typeof(GrinderButtonEvent), typeof(DumpGrindsButtonEvent))]
    private class Pouring : Powered
    {
    }

    private void OnRegisterClient(Event e)
    {
        this.client = (e as RegisterClientEvent).Client;
    }

    private void OnReadPortaFilterLevel()
    {
        this.SendEvent(this.client, new PortaFilterLevelEvent(this.portaFilterLevel));
    }

    private void OnReadShotLog()
    {
        this.SendEvent(this.client, new ShotLogEvent(this.shotLog));
    }

    private void OnSaveShotLog(Event e)
    {
        this.shotLog = (e as SaveShotLogEvent).ShotsPoured;
    }

    private void OnGrinderButtonWhenIdle(Event e)
    {
        if ((e as GrinderButtonEvent).PowerOn)
        {
            this.RaiseGotoStateEvent<Grinding>();
        }
    }

    private void StartGrinding()
    {
        this.grinderTimer = this.CreateActor(typeof(RandomTimer), new TimerConfigEvent(this.Id));
    }

    private void OnGrinderTick(Event e)
    {
        if (!(e as TimerElapsedEvent).Timer.Equals(this.grinderTimer))
        {
            return;
        }

        // When the porta filter is full the burrs stall: no more grounds until it is emptied.
        this.portaFilterLevel = Math.Min(100, this.portaFilterLevel + GrindStepPercent);
        this.SendEvent(this.client, new PortaFilterLevelEvent(this.portaFilterLevel));
        if (this.portaFilterLevel < 100)
        {
            this.grinderTimer = this.CreateActor(typeof(RandomTimer), new TimerConfigEvent(this.Id));
        }
    }

    private void OnGrinderButtonWhenGrinding(Event e)
    {
        if (!(e as GrinderButtonEvent).PowerOn)
        {
            this.SendEvent(this.grinderTimer, HaltEvent.Instance);
            this.RaiseGotoStateEvent<Idle>();
        }
    }

    private void StartPump()
    {
        this.pumpTimer = this.CreateActor(typeof(RandomTimer), new TimerConfigEvent(this.Id));
    }

    private void OnPumpTick(Event e)
    {
        if (!(e as TimerElapsedEvent).Timer.Equals(this.pumpTimer))
        {
            return;
        }

        this.Monitor<CupMonitor>(new ShotPouredEvent());
        this.SendEvent(this.client, new ShotCompleteEvent());
        this.RaiseGotoStateEvent<Idle>();
    }

    private void OnDumpGrinds()
    {
        this.portaFilterLevel = 0;
        this.SendEvent(this.client, new GrindsDumpedEvent());
    }
}
