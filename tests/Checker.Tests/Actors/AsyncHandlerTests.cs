using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Xunit;

namespace Checker.Tests.Actors;

public sealed class AsyncHandlerTests
{
    [Fact]
    public void ReceiveEventAsync_WaitsForTheReply_AndLeavesOtherEventsQueuedForLater()
    {
        // The responder sends Noise and then the Reply; the requester's handler receives the Reply
        // first, and its normal handler sees Noise once the async handler has finished.
        var runs = new List<Journal>();
        var engine = Explore.Dfs(r =>
        {
            var journal = new Journal();
            runs.Add(journal);
            ActorId responder = r.CreateActor(typeof(Responder));
            r.CreateActor(typeof(Requester), new Requester.Setup(journal, responder, 0));
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.True(engine.TestReport.Exhausted);
        Assert.All(runs, run => Assert.Equal(["sent request", "got reply 1", "noise"], run.Entries));
    }

    [Fact]
    public void ReceiveEventAsync_WithAPredicate_SkipsEventsThatDoNotMatch()
    {
        (var engine, Journal journal) = Explore.Journaled((r, journal) =>
        {
            ActorId responder = r.CreateActor(typeof(Responder));
            r.CreateActor(typeof(Requester), new Requester.Setup(journal, responder, 2));
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["sent request", "got reply 2", "noise", "reply 1 later"], journal.Entries);
    }

    [Fact]
    public void AsyncDoAction_OfAPlainActor_ResumesWhenTheAwaitedEventArrives()
    {
        // Handling Ping, the waiter asks the responder and awaits a Reply; its send is delivered only
        // after the handler has suspended, so every schedule resumes the handler later. The handler
        // finishes (OnEventHandledAsync sees Ping) before the Noise queued ahead of the Reply is dequeued.
        var runs = new List<Journal>();
        var engine = Explore.Dfs(r =>
        {
            var journal = new Journal();
            runs.Add(journal);
            ActorId responder = r.CreateActor(typeof(Responder));
            ActorId id = r.CreateActor(typeof(PlainWaiter), new PlainWaiter.Setup(journal, responder));
            r.SendEvent(id, new Ping());
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.True(engine.TestReport.Exhausted);
        Assert.All(runs, run => Assert.Equal(
            ["waiting", "got reply 1", "handled Ping", "noise", "handled Noise", "late reply 2", "handled Reply"],
            run.Entries));
    }

    [Fact]
    public void OnInitializeAsync_ThatAwaitsAnEvent_FinishesBeforeTheStartStateIsEntered()
    {
        // Coyote awaits OnInitializeAsync before running the start state's entry action.
        var runs = new List<Journal>();
        var engine = Explore.Dfs(r =>
        {
            var journal = new Journal();
            runs.Add(journal);
            ActorId id = r.CreateActor(typeof(PatientMachine), new WithJournal(journal));
            r.CreateActor(typeof(Starter), new Starter.Setup(id));
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.All(runs, run => Assert.Equal(["initializing", "initialized", "entered Ready"], run.Entries));
    }

    [Fact]
    public void ReceiveEventAsync_ForAnEventThatNeverComes_IsADeadlock()
    {
        var engine = Explore.Once(r => r.CreateActor(typeof(Requester), new Requester.Setup(new Journal(), null, 0)));

        Assert.Equal(BugKind.Deadlock, engine.TestReport.Bug?.Kind);
        Assert.Equal(
            "Deadlock at step 1: no operation is enabled. Waiting: Requester(1) in Asking for Reply. Run `verify replay` on the trace for the events.",
            engine.TestReport.Bug!.Message);
    }

    [Fact]
    public void AwaitingATaskTheEngineDoesNotControl_IsAnUncontrolledAwaitBug()
    {
        var engine = Explore.Once(r =>
        {
            ActorId id = r.CreateActor(typeof(Sleeper));
            r.SendEvent(id, new Ping());
        });

        Assert.Equal(BugKind.UncontrolledAwait, engine.TestReport.Bug?.Kind);
        Assert.Equal(
            "Sleeper(1).OnPing awaited a task that the engine does not control; handlers may await only ReceiveEventAsync.",
            engine.TestReport.Bug!.Message);
    }

    private sealed class Request(ActorId requester) : Event
    {
        public ActorId Requester { get; } = requester;
    }

    private sealed class Reply(int value) : Event
    {
        public int Value { get; } = value;
    }

    private sealed class Noise : Event
    {
    }

    [OnEventDoAction(typeof(Request), nameof(OnRequest))]
    private sealed class Responder : Actor
    {
        private void OnRequest(Event e)
        {
            ActorId requester = ((Request)e).Requester;
            SendEvent(requester, new Noise());
            SendEvent(requester, new Reply(1));
            SendEvent(requester, new Reply(2));
        }
    }

    private sealed class Requester : StateMachine
    {
        private Journal journal = null!;

        internal sealed class Setup(Journal journal, ActorId? responder, int wanted) : Event
        {
            public Journal Journal { get; } = journal;

            public ActorId? Responder { get; } = responder;

            /// <summary>0: take the first reply; otherwise wait for the reply with this value.</summary>
            public int Wanted { get; } = wanted;
        }

        [Start]
        [OnEntry(nameof(Ask))]
        [OnEventDoAction(typeof(Noise), nameof(OnNoise))]
        [OnEventDoAction(typeof(Reply), nameof(OnLateReply))]
        private sealed class Asking : State
        {
        }

        private async Task Ask(Event e)
        {
            var setup = (Setup)e;
            journal = setup.Journal;
            if (setup.Responder is not null)
            {
                SendEvent(setup.Responder, new Request(Id));
            }

            journal.Add("sent request");
            Event reply = setup.Wanted == 0
                ? await ReceiveEventAsync(typeof(Reply))
                : await ReceiveEventAsync(typeof(Reply), r => ((Reply)r).Value == setup.Wanted);
            journal.Add("got reply " + ((Reply)reply).Value);
        }

        private void OnNoise() => journal.Add("noise");

        private void OnLateReply(Event e)
        {
            // Only the predicate test leaves a reply behind; the first test's second reply lands here too.
            if (((Reply)e).Value == 1)
            {
                journal.Add("reply 1 later");
            }
        }
    }

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    [OnEventDoAction(typeof(Noise), nameof(OnNoise))]
    [OnEventDoAction(typeof(Reply), nameof(OnLateReply))]
    private sealed class PlainWaiter : Actor
    {
        private Journal journal = null!;
        private ActorId responder = null!;

        internal sealed class Setup(Journal journal, ActorId responder) : Event
        {
            public Journal Journal { get; } = journal;

            public ActorId Responder { get; } = responder;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            var setup = (Setup)initialEvent!;
            journal = setup.Journal;
            responder = setup.Responder;
            return Task.CompletedTask;
        }

        protected override Task OnEventHandledAsync(Event e)
        {
            journal.Add("handled " + e.GetType().Name);
            return Task.CompletedTask;
        }

        private async Task OnPing(Event e)
        {
            SendEvent(responder, new Request(Id));
            journal.Add("waiting");
            var reply = (Reply)await ReceiveEventAsync(typeof(Reply));
            journal.Add("got reply " + reply.Value);
        }

        private void OnNoise() => journal.Add("noise");

        private void OnLateReply(Event e) => journal.Add("late reply " + ((Reply)e).Value);
    }

    private sealed class PatientMachine : StateMachine
    {
        private Journal journal = null!;

        [Start]
        [OnEntry(nameof(EnterReady))]
        private sealed class Ready : State
        {
        }

        protected override async Task OnInitializeAsync(Event? initialEvent)
        {
            journal = ((WithJournal)initialEvent!).Journal;
            journal.Add("initializing");
            await ReceiveEventAsync(typeof(Ping));
            journal.Add("initialized");
        }

        private void EnterReady() => journal.Add("entered Ready");
    }

    private sealed class Starter : Actor
    {
        internal sealed class Setup(ActorId target) : Event
        {
            public ActorId Target { get; } = target;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            SendEvent(((Setup)initialEvent!).Target, new Ping());
            return Task.CompletedTask;
        }
    }

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class Sleeper : Actor
    {
        private async Task OnPing() => await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan);
    }
}
