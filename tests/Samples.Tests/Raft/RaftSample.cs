// Raft: leader election among three servers that find each other by name, and a SAFETY bug.
//
// What it shows: CreateActorIdFromName (the test names the servers "Server-0".."Server-2" and
// binds each name with CreateActor(id, ...); each server looks its peers up by the same names
// through Id.Runtime), one-shot election timers stopped on state exit (a stopped timer's queued
// tick is dropped), WithTimeoutDelay to make elections less eager, and a safety monitor.
//
// The bug: a server that does not remember whom it voted for in the current term grants a second
// candidate of that term its vote too, so two candidates reach a majority in the same term and
// SafetyMonitor sees two leaders. It needs two servers to time out into the same term and the
// third to hear both requests before either candidate wins.
//
// The same file compiles against Coyote 1.7 after replacing `Verify` by `Microsoft.Coyote`
// in the using lines.
using Verify.Actors;
using Verify.SystematicTesting;

namespace Samples.Raft;

public static class RaftSample
{
    private const int ClusterSize = 3;

    /// <summary>Leaders elected over all runs since the last reset; tests check elections really happened.</summary>
    internal static int Elections;

    [Test]
    public static void Execute(IActorRuntime runtime) => Start(runtime, checksVotedFor: false);

    [Test]
    public static void ExecuteFixed(IActorRuntime runtime) => Start(runtime, checksVotedFor: true);

    private static void Start(IActorRuntime runtime, bool checksVotedFor)
    {
        runtime.RegisterMonitor<SafetyMonitor>();
        for (int i = 0; i < ClusterSize; i++)
        {
            ActorId id = runtime.CreateActorIdFromName(typeof(Server), $"Server-{i}");
            runtime.CreateActor(id, typeof(Server), new ServerSetup(i, ClusterSize, checksVotedFor));
        }
    }
}
