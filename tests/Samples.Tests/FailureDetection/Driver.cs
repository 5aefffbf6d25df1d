using Verify.Actors;

namespace Samples.FailureDetection;

/// <summary>
/// Creates the detector and the first nodes and tells the detector to start monitoring; then,
/// while time passes (the default event), more nodes join the cluster at random moments. Each
/// node is crashed or not, a random choice. The driver is the detector's client and logs its
/// reports.
/// </summary>
internal class Driver : StateMachine
{
    private const int InitialNodes = 2;
    private const int JoiningNodes = 2;

    // A node joins on about one in JoinOdds of the driver's idle steps.
    private const int JoinOdds = 4;

    private ActorId detector;
    private int joined;

    [Start]
    [OnEntry(nameof(OnInit))]
    [OnEventDoAction(typeof(DefaultEvent), nameof(MaybeJoin))]
    [OnEventDoAction(typeof(NodeFailedEvent), nameof(OnNodeFailed))]
    private class Growing : State
    {
    }

    [OnEventDoAction(typeof(NodeFailedEvent), nameof(OnNodeFailed))]
    private class Running : State
    {
    }

    private void OnInit()
    {
        this.detector = this.CreateActor(typeof(FailureDetector), new DetectorConfigEvent(this.Id));
        for (int i = 0; i < InitialNodes; i++)
        {
            this.StartNode();
        }

        this.SendEvent(this.detector, new StartMonitoringEvent());
    }

    private void MaybeJoin()
    {
        if (this.RandomInteger(JoinOdds) != 0)
        {
            return;
        }

        this.StartNode();
        this.joined++;
        if (this.joined == JoiningNodes)
        {
            this.RaiseGotoStateEvent<Running>();
        }
    }

    private void StartNode()
    {
        ActorId node = this.CreateActor(typeof(ClusterNode), new NodeConfigEvent(this.detector));
        if (this.RandomBoolean())
        {
            this.SendEvent(node, new CrashEvent());
        }
    }

    private void OnNodeFailed(Event e)
    {
        this.Logger.WriteLine("The detector reports {0} failed.", (e as NodeFailedEvent).Node);
        FailureDetectorSample.CountFailureReported();
    }
}
