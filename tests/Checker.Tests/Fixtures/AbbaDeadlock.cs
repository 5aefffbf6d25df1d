using Verify.Actors;

namespace Checker.Tests.Fixtures;

/// <summary>
/// Two lock servers and two clients that take both locks in opposite orders, each waiting for a
/// grant with ReceiveEventAsync. If each client gets its first lock, both wait forever.
/// </summary>
internal static class AbbaDeadlock
{
    internal static void Test(IActorRuntime runtime)
    {
        ActorId lockA = runtime.CreateActor(typeof(LockServer), "LockA");
        ActorId lockB = runtime.CreateActor(typeof(LockServer), "LockB");
        runtime.CreateActor(typeof(Client), "ClientAB", new Client.Setup(lockA, lockB));
        runtime.CreateActor(typeof(Client), "ClientBA", new Client.Setup(lockB, lockA));
    }

    internal sealed class Acquire(ActorId client) : Event
    {
        public ActorId Client { get; } = client;
    }

    internal sealed class Release : Event
    {
    }

    internal sealed class Granted : Event
    {
    }

    [OnEventDoAction(typeof(Acquire), nameof(OnAcquire))]
    [OnEventDoAction(typeof(Release), nameof(OnRelease))]
    internal sealed class LockServer : Actor
    {
        private readonly Queue<ActorId> waiters = new();
        private ActorId? holder;

        private void OnAcquire(Event e)
        {
            ActorId client = ((Acquire)e).Client;
            if (holder is null)
            {
                holder = client;
                SendEvent(client, new Granted());
            }
            else
            {
                waiters.Enqueue(client);
            }
        }

        private void OnRelease()
        {
            holder = waiters.Count > 0 ? waiters.Dequeue() : null;
            if (holder is not null)
            {
                SendEvent(holder, new Granted());
            }
        }
    }

    internal sealed class Client : StateMachine
    {
        internal sealed class Setup(ActorId first, ActorId second) : Event
        {
            public ActorId First { get; } = first;

            public ActorId Second { get; } = second;
        }

        [Start]
        [OnEntry(nameof(TakeBothLocks))]
        private sealed class Working : State
        {
        }

        private async Task TakeBothLocks(Event e)
        {
            var setup = (Setup)e;
            SendEvent(setup.First, new Acquire(Id));
            await ReceiveEventAsync(typeof(Granted));
            SendEvent(setup.Second, new Acquire(Id));
            await ReceiveEventAsync(typeof(Granted));
            SendEvent(setup.Second, new Release());
            SendEvent(setup.First, new Release());
        }
    }
}
