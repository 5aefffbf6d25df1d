using System.Collections.Generic;
using Verify.Actors;
using Verify.Specifications;

namespace Samples.FailureDetection;

/// <summary>
/// Liveness (completeness of the detector): every crashed node is eventually declared failed.
/// The monitor is [Hot] while some crashed node has not been declared. A live node declared
/// failed (a false suspicion, which a slow answer can cause) is allowed: this property is about
/// completeness, not accuracy, and a suspected node that later crashes counts as detected.
/// </summary>
internal class DetectionMonitor : Monitor
{
    private readonly HashSet<ActorId> crashed = new HashSet<ActorId>();
    private readonly HashSet<ActorId> declared = new HashSet<ActorId>();

    [Start]
    [Cold]
    [OnEventDoAction(typeof(NodeCrashedEvent), nameof(OnNodeCrashed))]
    [OnEventDoAction(typeof(NodeFailedEvent), nameof(OnNodeDeclared))]
    private class AllDetected : State
    {
    }

    [Hot]
    [OnEventDoAction(typeof(NodeCrashedEvent), nameof(OnNodeCrashed))]
    [OnEventDoAction(typeof(NodeFailedEvent), nameof(OnNodeDeclared))]
    private class Undetected : State
    {
    }

    private void OnNodeCrashed(Event e)
    {
        this.crashed.Add((e as NodeCrashedEvent).Node);
        this.Update();
    }

    private void OnNodeDeclared(Event e)
    {
        this.declared.Add((e as NodeFailedEvent).Node);
        this.Update();
    }

    private void Update()
    {
        bool allDetected = this.declared.IsSupersetOf(this.crashed);
        if (allDetected && this.CurrentState != typeof(AllDetected))
        {
            this.RaiseGotoStateEvent<AllDetected>();
        }
        else if (!allDetected && this.CurrentState != typeof(Undetected))
        {
            this.RaiseGotoStateEvent<Undetected>();
        }
    }
}
