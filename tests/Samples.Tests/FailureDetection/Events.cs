// The events of the FailureDetection sample. Each is a few lines of immutable data, so they
// share one file, as in Coyote's own samples.
using Verify.Actors;

namespace Samples.FailureDetection;

// ---- configuration --------------------------------------------------------------------------

internal class DetectorConfigEvent : Event
{
    public readonly ActorId Client;

    public DetectorConfigEvent(ActorId client)
    {
        this.Client = client;
    }
}

internal class NodeConfigEvent : Event
{
    public readonly ActorId Detector;

    public NodeConfigEvent(ActorId detector)
    {
        this.Detector = detector;
    }
}

internal class TimerOwnerEvent : Event
{
    public readonly ActorId Owner;

    public TimerOwnerEvent(ActorId owner)
    {
        this.Owner = owner;
    }
}

// ---- nodes and detector ---------------------------------------------------------------------

/// <summary>A node asks to be watched.</summary>
internal class RegisterNodeEvent : Event
{
    public readonly ActorId Node;

    public RegisterNodeEvent(ActorId node)
    {
        this.Node = node;
    }
}

internal class StartMonitoringEvent : Event
{
}

internal class HeartbeatRequestEvent : Event
{
    public readonly ActorId Detector;

    public HeartbeatRequestEvent(ActorId detector)
    {
        this.Detector = detector;
    }
}

internal class HeartbeatEvent : Event
{
    public readonly ActorId Node;

    public HeartbeatEvent(ActorId node)
    {
        this.Node = node;
    }
}

/// <summary>The driver injects a crash: the node stops answering for good.</summary>
internal class CrashEvent : Event
{
}

/// <summary>The detector declares a node failed; sent to its client and to the monitor.</summary>
internal class NodeFailedEvent : Event
{
    public readonly ActorId Node;

    public NodeFailedEvent(ActorId node)
    {
        this.Node = node;
    }
}

// ---- timer ----------------------------------------------------------------------------------

internal class StartTimerEvent : Event
{
}

internal class CancelTimerEvent : Event
{
}

internal class TimeoutEvent : Event
{
}

/// <summary>The timer was stopped before it fired.</summary>
internal class CancelSuccessEvent : Event
{
}

/// <summary>The timer had already fired: its <see cref="TimeoutEvent"/> is on the way, ahead of this event.</summary>
internal class CancelFailureEvent : Event
{
}

// ---- monitor notifications ------------------------------------------------------------------

internal class NodeCrashedEvent : Event
{
    public readonly ActorId Node;

    public NodeCrashedEvent(ActorId node)
    {
        this.Node = node;
    }
}
