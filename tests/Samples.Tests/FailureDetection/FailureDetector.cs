using System.Collections.Generic;
using System.Linq;
using Verify.Actors;

namespace Samples.FailureDetection;

/// <summary>
/// Watches the registered nodes in rounds. Each round it requests a heartbeat from every node
/// that has not answered yet and starts the timer; when all answer, it cancels the timer and
/// starts the next round. When the timer fires it asks the silent nodes again, and after
/// <see cref="MaxAttempts"/> timeouts it declares them failed and stops watching them. Nodes
/// may register at any time, also while rounds are running.
///
/// THE BUG: when the timer fires while it is being cancelled, the detector waits in
/// DrainTimeout for the timer's CancelFailureEvent and drops everything else meanwhile
/// ([IgnoreEvents(typeof(WildCardEvent))]), meant for late heartbeats of the finished round.
/// A registration that arrives in that short window is dropped too: that node is never
/// watched, and if it crashes nobody reports it. The fix: derive DrainTimeout from
/// AcceptingRegistrations, so the specific handler beats the wildcard.
/// </summary>
internal class FailureDetector : StateMachine
{
    private const int MaxAttempts = 2;

    private readonly List<ActorId> nodes = new List<ActorId>();
    private readonly HashSet<ActorId> answered = new HashSet<ActorId>();
    private ActorId client;
    private ActorId timer;
    private int attempts;

    [OnEventDoAction(typeof(RegisterNodeEvent), nameof(OnRegister))]
    private abstract class AcceptingRegistrations : State
    {
    }

    [Start]
    [OnEntry(nameof(OnInit))]
    [OnEventGotoState(typeof(StartMonitoringEvent), typeof(SendRequests))]
    private class Init : AcceptingRegistrations
    {
    }

    [OnEntry(nameof(OnSendRequests))]
    [OnEventDoAction(typeof(HeartbeatEvent), nameof(OnHeartbeat))]
    [OnEventDoAction(typeof(TimeoutEvent), nameof(OnTimeout))]
    private class SendRequests : AcceptingRegistrations
    {
    }

    // Everyone answered; the timer is being cancelled. Heartbeats arriving now are late
    // answers to requests of this round.
    [OnEntry(nameof(OnReset))]
    [OnEventGotoState(typeof(CancelSuccessEvent), typeof(SendRequests), nameof(StartNewRound))]
    [OnEventGotoState(typeof(TimeoutEvent), typeof(DrainTimeout))]
    [IgnoreEvents(typeof(HeartbeatEvent))]
    private class Reset : AcceptingRegistrations
    {
    }

    // The timer fired before our cancel reached it; its CancelFailureEvent follows the timeout.
    [OnEventGotoState(typeof(CancelFailureEvent), typeof(SendRequests), nameof(StartNewRound))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private class DrainTimeout : State
    {
    }

    private void OnInit(Event e)
    {
        this.client = (e as DetectorConfigEvent).Client;
        this.timer = this.CreateActor(typeof(HeartbeatTimer), new TimerOwnerEvent(this.Id));
    }

    private void OnRegister(Event e)
    {
        this.nodes.Add((e as RegisterNodeEvent).Node);
    }

    private void OnSendRequests()
    {
        foreach (ActorId node in this.nodes.Where(n => !this.answered.Contains(n)))
        {
            this.SendEvent(node, new HeartbeatRequestEvent(this.Id));
        }

        this.SendEvent(this.timer, new StartTimerEvent());
    }

    private void OnHeartbeat(Event e)
    {
        ActorId node = (e as HeartbeatEvent).Node;
        if (!this.nodes.Contains(node))
        {
            return;
        }

        this.answered.Add(node);
        if (this.nodes.All(n => this.answered.Contains(n)))
        {
            this.RaiseGotoStateEvent<Reset>();
        }
    }

    private void OnTimeout()
    {
        this.attempts++;
        if (this.attempts < MaxAttempts)
        {
            // Going to SendRequests again asks the silent nodes once more and restarts the timer.
            this.RaiseGotoStateEvent<SendRequests>();
            return;
        }

        foreach (ActorId node in this.nodes.Where(n => !this.answered.Contains(n)).ToList())
        {
            this.nodes.Remove(node);
            var failed = new NodeFailedEvent(node);
            this.Monitor<DetectionMonitor>(failed);
            this.SendEvent(this.client, failed);
        }

        this.StartNewRound();
        this.RaiseGotoStateEvent<SendRequests>();
    }

    private void OnReset()
    {
        this.SendEvent(this.timer, new CancelTimerEvent());
    }

    private void StartNewRound()
    {
        this.answered.Clear();
        this.attempts = 0;
    }
}
