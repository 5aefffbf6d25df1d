using Verify.Actors;
using Verify.SystematicTesting;

namespace Verify.Harness.Reference;

/// <summary>
/// Ten actors in a ring pass a token 200 hops; on each hop the holder may also gossip to a random
/// node, so ten inboxes fill and drain concurrently. The benchmark's many-actor model (bug-free).
/// </summary>
public static class TokenRing
{
    internal const int Nodes = 10;
    internal const int Hops = 200;

    [Test]
    public static void Execute(IActorRuntime runtime)
    {
        var ids = new ActorId[Nodes];
        for (int i = 0; i < Nodes; i++)
        {
            ids[i] = runtime.CreateActorId(typeof(Node));
        }

        for (int i = 0; i < Nodes; i++)
        {
            runtime.CreateActor(ids[i], typeof(Node), new Node.Setup(ids, ids[(i + 1) % Nodes], i == 0));
        }
    }

    internal sealed class Token(int hopsLeft) : Event
    {
        public int HopsLeft { get; } = hopsLeft;
    }

    internal sealed class Gossip : Event
    {
        public static readonly Gossip Instance = new();
    }

    internal sealed class Node : StateMachine
    {
        private ActorId[] all = [];
        private ActorId next = null!;
        private int heard;

        internal sealed class Setup(ActorId[] all, ActorId next, bool holdsToken) : Event
        {
            public ActorId[] All { get; } = all;

            public ActorId Next { get; } = next;

            public bool HoldsToken { get; } = holdsToken;
        }

        [Start]
        [OnEntry(nameof(OnSetup))]
        [OnEventDoAction(typeof(Token), nameof(OnToken))]
        [OnEventDoAction(typeof(Gossip), nameof(OnGossip))]
        private sealed class Running : State
        {
        }

        private void OnSetup(Event e)
        {
            var s = (Setup)e;
            all = s.All;
            next = s.Next;
            if (s.HoldsToken)
            {
                SendEvent(next, new Token(Hops));
            }
        }

        private void OnToken(Event e)
        {
            int left = ((Token)e).HopsLeft;
            if (RandomInteger(4) == 0)
            {
                SendEvent(all[RandomInteger(Nodes)], Gossip.Instance);
            }

            if (left > 0)
            {
                SendEvent(next, new Token(left - 1));
            }
        }

        private void OnGossip() => heard++;
    }
}
