namespace Verify.Actors.Timers;

/// <summary>
/// Stands in for a timer under test, as Coyote's mock timer does: always enabled until it fires
/// (or, if periodic, until stopped), so when it fires relative to everything else is a scheduling
/// choice the strategy explores. A timer never reads a clock.
/// </summary>
internal sealed class TimerActor : StateMachine
{
    private TimerInfo info = null!;

    internal sealed class Setup(TimerInfo info) : Event
    {
        internal TimerInfo Info { get; } = info;
    }

    [Start]
    [OnEntry(nameof(OnSetup))]
    [OnEventDoAction(typeof(DefaultEvent), nameof(OnFire))]
    private sealed class Armed : State
    {
    }

    private void OnSetup(Event e) => info = ((Setup)e).Info;

    private void OnFire()
    {
        int delay = Runtime.TimeoutDelay;
        if (!info.Stopped && delay > 1 && RandomInteger(delay) != 0)
        {
            // WithTimeoutDelay: not this time; the timer stays armed and is scheduled again.
            return;
        }

        if (!info.Stopped)
        {
            TimerElapsedEvent elapsed = info.CustomEvent ?? new TimerElapsedEvent();
            elapsed.Info = info;
            SendEvent(info.OwnerId, elapsed);
        }

        if (info.Stopped || !info.IsPeriodic)
        {
            RaiseHaltEvent();
        }
    }
}
