// FailureDetection: a heartbeat failure detector with a LIVENESS bug.
//
// What it shows: a Driver creates a FailureDetector and two ClusterNodes, and two more nodes
// join later at random moments (the driver's DefaultEvent handler and RandomInteger); each node
// is created with an initial event and registers with the detector. The detector watches the
// nodes in heartbeat rounds timed by a HeartbeatTimer, a state machine that fires on the
// DefaultEvent after a RandomBoolean, with the classic cancel/timeout race answered by
// CancelSuccess or CancelFailure. The driver crashes each node or not (RandomBoolean).
// DetectionMonitor states completeness with [Hot] and [Cold] states: every crashed node is
// eventually declared failed. The detector runs forever, so a run never terminates; the
// liveness bug shows as a monitor that stays hot in a fair run for more than the temperature
// threshold. Also used: abstract states sharing a handler, [IgnoreEvents] with WildCardEvent,
// goto with a transition action.
//
// The bug: after the timer fires during a cancel, the detector drops every event until the
// timer's CancelFailureEvent, registrations included. It needs a specific interleaving: the
// timer must fire just as the last heartbeat of a round arrives, a node must join in the few
// steps before CancelFailureEvent arrives, and that very node must crash.
//
// The same file compiles against Coyote 1.7 after replacing `Verify` by `Microsoft.Coyote`
// in the using lines.
using Verify.Actors;
using Verify.SystematicTesting;

namespace Samples.FailureDetection;

public static class FailureDetectorSample
{
    private static long failuresReported;

    /// <summary>Failures the detector reported since the last reset, over all iterations: a reachability count for tests.</summary>
    public static long FailuresReported => System.Threading.Interlocked.Read(ref failuresReported);

    public static void ResetCounters() => System.Threading.Interlocked.Exchange(ref failuresReported, 0);

    internal static void CountFailureReported() => System.Threading.Interlocked.Increment(ref failuresReported);

    [Test]
    public static void Execute(IActorRuntime runtime)
    {
        runtime.RegisterMonitor<DetectionMonitor>();
        runtime.CreateActor(typeof(Driver));
    }
}
