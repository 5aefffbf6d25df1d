using System;
using System.Threading.Tasks;
using Verify;
using Verify.Actors;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Compat.Tests;

public class EventGroupTests : BaseActorTest
{
    private static readonly EventGroup Order = new EventGroup(Guid.Empty, "order-17");

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class Relay : Actor
    {
        private Journal journal;
        private ActorId next;

        protected override Task OnInitializeAsync(Event initialEvent)
        {
            journal = ((Setup)initialEvent).Journal;
            next = ((Setup)initialEvent).Other;
            return Task.CompletedTask;
        }

        private void OnPing()
        {
            journal.Add($"{Id.Name} in group {CurrentEventGroup?.Name ?? "none"}");
            if (next is not null)
            {
                SendEvent(next, new Ping());
                SendEvent(next, new Ping(), EventGroup.Null);
            }
        }
    }

    [Fact]
    public void EventGroup_FlowsWithSends_AndEventGroupNullClearsIt()
    {
        var journal = new Journal();
        Test(r =>
        {
            ActorId last = r.CreateActor(typeof(Relay), "last", new Setup(journal));
            ActorId first = r.CreateActor(typeof(Relay), "first", new Setup(journal, last));
            r.SendEvent(first, new Ping(), Order);
        });

        Assert.Equal(new[] { "first in group order-17", "last in group order-17", "last in group none" }, journal.Lines);
    }

    private sealed class Add : Event
    {
        public Add(int x, int y)
        {
            X = x;
            Y = y;
        }

        public int X { get; }

        public int Y { get; }
    }

    private sealed class Adder : Actor
    {
        protected override Task OnInitializeAsync(Event initialEvent)
        {
            var add = (Add)initialEvent;
            if (CurrentEventGroup is AwaitableEventGroup<int> result)
            {
                result.SetResult(add.X + add.Y);
            }

            return Task.CompletedTask;
        }
    }

    [Fact]
    public void AwaitableEventGroup_LetsTheTestAwaitAnActorsResult()
    {
        int sum = 0;
        using TestingEngine engine = TestingEngine.Create(GetConfiguration().WithTestingIterations(5), async (IActorRuntime r) =>
        {
            var op = new AwaitableEventGroup<int>();
            r.CreateActor(typeof(Adder), new Add(2, 3), op);
            sum = await op;
            Specification.Assert(sum == 5, "sum is {0}", sum);
        });
        engine.Run();

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(5, sum);
    }

    private sealed class Silent : Actor
    {
    }

    [Fact]
    public void AwaitableEventGroup_NoActorCompletes_IsADeadlock()
    {
        using TestingEngine engine = TestingEngine.Create(GetConfiguration(), async (IActorRuntime r) =>
        {
            var op = new AwaitableEventGroup<bool>();
            r.CreateActor(typeof(Silent), null, op);
            await op;
        });
        engine.Run();

        Assert.Equal(BugKind.Deadlock, engine.TestReport.Bug?.Kind);
        Assert.Equal(
            "Deadlock at step 1: no operation is enabled, and the test method still waits, for an AwaitableEventGroup no actor completed "
                + "or for a task the engine does not control. Run `verify replay` on the trace for the events.",
            engine.TestReport.Bug.Message);
    }
}
