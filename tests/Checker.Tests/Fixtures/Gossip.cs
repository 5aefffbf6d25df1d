using Verify.Actors;

namespace Checker.Tests.Fixtures;

/// <summary>
/// Bug-free, but no two runs alike: three peers pass a rumour around, each forwarding it to a
/// randomly chosen peer until its hop budget is spent. Schedules and lengths vary with the seed.
/// </summary>
internal static class Gossip
{
    internal static void Test(IActorRuntime runtime)
    {
        var peers = new ActorId[3];
        for (int i = 0; i < peers.Length; i++)
        {
            peers[i] = runtime.CreateActor(typeof(Peer));
        }

        foreach (ActorId p in peers)
        {
            runtime.SendEvent(p, new Rumour(peers, 4));
        }
    }

    internal sealed class Rumour(ActorId[] peers, int hops) : Event
    {
        public ActorId[] Peers { get; } = peers;

        public int Hops { get; } = hops;
    }

    [OnEventDoAction(typeof(Rumour), nameof(OnRumour))]
    internal sealed class Peer : Actor
    {
        private void OnRumour(Event e)
        {
            var r = (Rumour)e;
            if (r.Hops > 0)
            {
                SendEvent(r.Peers[RandomInteger(r.Peers.Length)], new Rumour(r.Peers, r.Hops - 1));
            }
        }
    }
}
