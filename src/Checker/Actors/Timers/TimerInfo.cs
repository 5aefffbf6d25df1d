namespace Verify.Actors.Timers;

/// <summary>A timer started by an actor; pass it to StopTimer.</summary>
public sealed class TimerInfo
{
    internal TimerInfo(ActorId ownerId, TimeSpan dueTime, TimeSpan period, TimerElapsedEvent? customEvent)
    {
        OwnerId = ownerId;
        DueTime = dueTime;
        Period = period;
        CustomEvent = customEvent;
    }

    public ActorId OwnerId { get; }

    /// <summary>The delay the model asked for; under test, when a timer fires is a scheduling choice, not a clock reading.</summary>
    public TimeSpan DueTime { get; }

    /// <summary>Zero for a one-shot timer.</summary>
    public TimeSpan Period { get; }

    public TimerElapsedEvent? CustomEvent { get; }

    internal bool IsPeriodic => Period > TimeSpan.Zero;

    internal bool Stopped { get; set; }

    internal ActorId TimerId { get; set; } = null!;

    public override string ToString() => $"timer of {OwnerId}{(IsPeriodic ? " (periodic)" : string.Empty)}";
}

/// <summary>Sent to the owner when its timer fires; subclass it to send a custom event.</summary>
public class TimerElapsedEvent : Event
{
    public TimerInfo Info { get; internal set; } = null!;
}
