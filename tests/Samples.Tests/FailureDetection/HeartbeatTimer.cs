using Verify.Actors;

namespace Samples.FailureDetection;

/// <summary>
/// The detector's round timer. While running, each time it has nothing else to do (the default
/// event) it may fire, a random choice; a cancel that races with the timeout is answered with
/// <see cref="CancelFailureEvent"/>, which reaches the owner after the timeout itself.
/// </summary>
internal class HeartbeatTimer : StateMachine
{
    private ActorId owner;

    [Start]
    [OnEntry(nameof(OnInit))]
    private class Init : State
    {
    }

    [OnEventGotoState(typeof(StartTimerEvent), typeof(Running))]
    [OnEventDoAction(typeof(CancelTimerEvent), nameof(OnCancelTooLate))]
    private class Stopped : State
    {
    }

    [OnEventDoAction(typeof(DefaultEvent), nameof(OnTimePasses))]
    [OnEventGotoState(typeof(CancelTimerEvent), typeof(Stopped), nameof(OnCancelled))]
    private class Running : State
    {
    }

    private void OnInit(Event e)
    {
        this.owner = (e as TimerOwnerEvent).Owner;
        this.RaiseGotoStateEvent<Stopped>();
    }

    private void OnTimePasses()
    {
        if (this.RandomBoolean())
        {
            this.SendEvent(this.owner, new TimeoutEvent());
            this.RaiseGotoStateEvent<Stopped>();
        }
    }

    private void OnCancelled()
    {
        this.SendEvent(this.owner, new CancelSuccessEvent());
    }

    private void OnCancelTooLate()
    {
        this.SendEvent(this.owner, new CancelFailureEvent());
    }
}
