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

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class Asker : Actor
    {
        private Journal journal;

        protected override Task OnInitializeAsync(Event initialEvent)
        {
            journal = ((Setup)initialEvent).Journal;
            return Task.CompletedTask;
        }

        private void OnPing() => journal.Add($"{Id.Name} handles a ping of {Id.Runtime.GetCurrentEventGroup(Id)?.Name ?? "no group"}");
    }

    [Fact]
    public void Runtime_GetCurrentEventGroup_IsTheGroupOfTheEventTheActorHandles()
    {
        var journal = new Journal();
        Test(r =>
        {
            ActorId asker = r.CreateActor(typeof(Asker), "asker", new Setup(journal));
            r.SendEvent(asker, new Ping(), Order);
            r.SendEvent(asker, new Ping());
        });

        Assert.Equal(new[] { "asker handles a ping of order-17", "asker handles a ping of no group" }, journal.Lines);
    }

    private sealed class Refuse : Event
    {
        public Refuse(bool cancel) => Cancel = cancel;

        public bool Cancel { get; }
    }

    private sealed class Refuser : Actor
    {
        protected override Task OnInitializeAsync(Event initialEvent)
        {
            var result = (AwaitableEventGroup<int>)CurrentEventGroup;
            if (((Refuse)initialEvent).Cancel)
            {
                result.SetCanceled();
            }
            else
            {
                result.SetException(new InvalidOperationException("no sum for you"));
            }

            return Task.CompletedTask;
        }
    }

    [Theory]
    [InlineData(true, "canceled")]
    [InlineData(false, "no sum for you")]
    public void AwaitableEventGroup_SetCanceledOrSetException_EndsTheAwaitWithIt(bool cancel, string seen)
    {
        string outcome = null;
        bool settled = false;
        using TestingEngine engine = TestingEngine.Create(GetConfiguration(), async (IActorRuntime r) =>
        {
            var op = new AwaitableEventGroup<int>();
            r.CreateActor(typeof(Refuser), new Refuse(cancel), op);
            try
            {
                await op;
                outcome = "a result";
            }
            catch (TaskCanceledException)
            {
                outcome = "canceled";
            }
            catch (InvalidOperationException e)
            {
                outcome = e.Message;
            }

            settled = op.IsCompleted && (cancel ? op.IsCanceled : op.IsFaulted);
        });
        engine.Run();

        Assert.Null(engine.TestReport.Error);
        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(seen, outcome);
        Assert.True(settled);
    }
}
