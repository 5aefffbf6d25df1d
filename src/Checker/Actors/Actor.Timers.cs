using Verify.Actors.Timers;

namespace Verify.Actors;

/// <summary>Timers: controlled actors that send the owner elapsed events; when they fire is a scheduling choice.</summary>
public abstract partial class Actor
{
    /// <summary>Starts a one-shot timer; the owner receives a <see cref="TimerElapsedEvent"/> (or the custom one) once.</summary>
    protected TimerInfo StartTimer(TimeSpan startDelay, TimerElapsedEvent? customEvent = null) =>
        StartTimerCore(startDelay, TimeSpan.Zero, customEvent);

    /// <summary>Starts a periodic timer; it fires until StopTimer.</summary>
    protected TimerInfo StartPeriodicTimer(TimeSpan startDelay, TimeSpan period, TimerElapsedEvent? customEvent = null)
    {
        if (period < TimeSpan.Zero)
        {
            Runtime.ReportBug(BugKind.Assertion,
                $"{Id} started a periodic timer with a negative period ({period}); a period must be zero or more.");
        }

        return StartTimerCore(startDelay, period > TimeSpan.Zero ? period : TimeSpan.FromTicks(1), customEvent);
    }

    /// <summary>Stops a timer and drops the elapsed events it sent that are not yet handled, as Coyote does.</summary>
    protected void StopTimer(TimerInfo info)
    {
        if (info.OwnerId != Id)
        {
            Runtime.ReportBug(BugKind.Assertion, $"{Id} stopped a timer owned by {info.OwnerId}.");
        }

        info.Stopped = true;
        for (int i = Inbox.Count - 1; i >= 0; i--)
        {
            if (Inbox[i].Event is TimerElapsedEvent elapsed && ReferenceEquals(elapsed.Info, info))
            {
                Inbox.RemoveAt(i);
            }
        }
    }

    private TimerInfo StartTimerCore(TimeSpan due, TimeSpan period, TimerElapsedEvent? customEvent)
    {
        if (due < TimeSpan.Zero)
        {
            Runtime.ReportBug(BugKind.Assertion,
                $"{Id} started a timer with a negative due time ({due}); a due time must be zero or more.");
        }

        var info = new TimerInfo(Id, due, period, customEvent);
        info.TimerId = CreateActor(typeof(TimerActor), new TimerActor.Setup(info));
        return info;
    }
}
