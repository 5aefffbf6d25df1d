using Verify.Actors;

namespace Checker.Tests.Fixtures;

/// <summary>
/// Two incrementers read-modify-write a counter held by a third actor through request and reply
/// events. If both reads are served before either write, one increment is lost.
/// </summary>
internal static class LostUpdate
{
    internal const string Message = "Lost update: 2 increments left the counter at 1.";

    internal static void Test(IActorRuntime runtime)
    {
        ActorId counter = runtime.CreateActor(typeof(CounterHolder));
        runtime.CreateActor(typeof(Incrementer), new Incrementer.Setup(counter));
        runtime.CreateActor(typeof(Incrementer), new Incrementer.Setup(counter));
    }

    internal sealed class ReadRequest(ActorId requester) : Event
    {
        public ActorId Requester { get; } = requester;
    }

    internal sealed class ReadReply(int value) : Event
    {
        public int Value { get; } = value;
    }

    internal sealed class WriteRequest(int value) : Event
    {
        public int Value { get; } = value;
    }

    [OnEventDoAction(typeof(ReadRequest), nameof(OnRead))]
    [OnEventDoAction(typeof(WriteRequest), nameof(OnWrite))]
    internal sealed class CounterHolder : Actor
    {
        private int value;
        private int writes;

        private void OnRead(Event e) => SendEvent(((ReadRequest)e).Requester, new ReadReply(value));

        private void OnWrite(Event e)
        {
            value = ((WriteRequest)e).Value;
            writes++;
            if (writes == 2)
            {
                Assert(value == 2, "Lost update: {0} increments left the counter at {1}.", writes, value);
            }
        }
    }

    [OnEventDoAction(typeof(ReadReply), nameof(OnReply))]
    internal sealed class Incrementer : Actor
    {
        private ActorId counter = null!;

        internal sealed class Setup(ActorId counter) : Event
        {
            public ActorId Counter { get; } = counter;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            counter = ((Setup)initialEvent!).Counter;
            SendEvent(counter, new ReadRequest(Id));
            return Task.CompletedTask;
        }

        private void OnReply(Event e) => SendEvent(counter, new WriteRequest(((ReadReply)e).Value + 1));
    }
}
