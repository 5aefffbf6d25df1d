// PingPong: the hello world of actor testing, with no bug.
//
// What it shows: a PingServer and two PingClient state machines. Each client is created with
// an initial event naming its server ([Start] + [OnEntry] read it), connects, waits for
// ConnectedEvent ([OnEventGotoState]), then makes three ping-pong round trips
// ([OnEventDoAction], SendEvent, RaiseGotoStateEvent to re-enter its Pinging state) and
// disconnects; the server halts after the last disconnect. RoundTripMonitor checks that each pong answers an outstanding ping (safety)
// and that no ping stays unanswered (a [Hot] state, judged when the run terminates).
//
// The same file compiles against Coyote 1.7 after replacing `Verify` by `Microsoft.Coyote`
// in the using lines.
using Verify.Actors;
using Verify.SystematicTesting;

namespace Samples.PingPong;

public static class PingPongSample
{
    public const int Clients = 2;
    public const int RoundTripsPerClient = 3;

    private static long completedRoundTrips;

    /// <summary>Round trips completed since the last reset, over all iterations: a reachability count for tests.</summary>
    public static long CompletedRoundTrips => System.Threading.Interlocked.Read(ref completedRoundTrips);

    public static void ResetCounters() => System.Threading.Interlocked.Exchange(ref completedRoundTrips, 0);

    internal static void CountRoundTrip() => System.Threading.Interlocked.Increment(ref completedRoundTrips);

    [Test]
    public static void Execute(IActorRuntime runtime)
    {
        runtime.RegisterMonitor<RoundTripMonitor>();
        ActorId server = runtime.CreateActor(typeof(PingServer), new ServerConfigEvent(Clients));
        for (int i = 0; i < Clients; i++)
        {
            runtime.CreateActor(typeof(PingClient), new ClientConfigEvent(server, RoundTripsPerClient));
        }
    }
}
