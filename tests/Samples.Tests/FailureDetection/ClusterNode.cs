using Verify.Actors;

namespace Samples.FailureDetection;

/// <summary>A server that registers with the failure detector and answers its heartbeat requests until it crashes.</summary>
internal class ClusterNode : StateMachine
{
    private ActorId detector;

    [Start]
    [OnEntry(nameof(OnInit))]
    [OnEventDoAction(typeof(HeartbeatRequestEvent), nameof(OnHeartbeatRequest))]
    [OnEventGotoState(typeof(CrashEvent), typeof(Crashed))]
    private class Alive : State
    {
    }

    // A crashed node is silent: requests are dropped.
    [OnEntry(nameof(OnCrashed))]
    [IgnoreEvents(typeof(HeartbeatRequestEvent), typeof(CrashEvent))]
    private class Crashed : State
    {
    }

    private void OnInit(Event e)
    {
        this.detector = (e as NodeConfigEvent).Detector;
        this.SendEvent(this.detector, new RegisterNodeEvent(this.Id));
    }

    private void OnHeartbeatRequest(Event e)
    {
        this.SendEvent((e as HeartbeatRequestEvent).Detector, new HeartbeatEvent(this.Id));
    }

    private void OnCrashed()
    {
        this.Monitor<DetectionMonitor>(new NodeCrashedEvent(this.Id));
    }
}
