using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Xunit;

namespace Checker.Tests.Actors;

public sealed class HaltTests
{
    [Fact]
    public void HaltEvent_HaltsTheActor_AndDropsWhatIsQueuedBehindIt()
    {
        (var engine, Journal journal) = Explore.Journaled((r, journal) =>
        {
            ActorId id = r.CreateActor(typeof(Worker), new WithJournal(journal));
            r.SendEvent(id, new Numbered("work", 1));
            r.SendEvent(id, HaltEvent.Instance);
            r.SendEvent(id, new Numbered("work", 2));
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["work1", "halted"], journal.Entries);
    }

    [Fact]
    public void RaiseHaltEvent_HaltsTheActor_WhenTheActionEnds()
    {
        (var engine, Journal journal) = Explore.Journaled((r, journal) =>
        {
            ActorId id = r.CreateActor(typeof(Worker), new WithJournal(journal));
            r.SendEvent(id, new Numbered("work", 1));
            r.SendEvent(id, new Quit());
            r.SendEvent(id, new Numbered("work", 2));
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["work1", "quitting", "halted"], journal.Entries);
    }

    [Fact]
    public void SendsMadeBeforeRaiseHaltEvent_AreStillDelivered()
    {
        // The quitting action sends Goodbye and then raises halt: the worker halts only after the
        // send is delivered, and the sink gets it in every schedule.
        var runs = new List<Journal>();
        var engine = Explore.Dfs(r =>
        {
            var journal = new Journal();
            runs.Add(journal);
            ActorId sink = r.CreateActor(typeof(GoodbyeSink), new WithJournal(journal));
            ActorId id = r.CreateActor(typeof(Worker), new WithJournal(journal));
            r.SendEvent(id, new Quit(sink));
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.True(engine.TestReport.Exhausted);
        Assert.All(runs, run => Assert.Contains("goodbye", run.Entries));
        Assert.All(runs, run => Assert.Equal(["quitting", "halted"], run.Entries.Where(e => e != "goodbye")));
    }

    [Fact]
    public void RaiseHaltEvent_InOnInitializeAsync_HaltsBeforeAnyEventIsHandled()
    {
        (var engine, Journal journal) = Explore.Journaled((r, journal) =>
        {
            ActorId id = r.CreateActor(typeof(ShortLived), new WithJournal(journal));
            r.SendEvent(id, new Numbered("work", 1));
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["initialized", "halted"], journal.Entries);
    }

    [Fact]
    public void SendsToAHaltedActor_AreDropped_InEverySchedule()
    {
        // The sender halts the worker and then sends it more work; whether the work is delivered
        // before or after the halt, the worker never handles it.
        var runs = new List<Journal>();
        var engine = Explore.Dfs(r =>
        {
            var journal = new Journal();
            runs.Add(journal);
            ActorId id = r.CreateActor(typeof(Worker), new WithJournal(journal));
            r.CreateActor(typeof(LateSender), new LateSender.Setup(id, null));
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.True(engine.TestReport.Exhausted);
        Assert.All(runs, run => Assert.Equal(["halted"], run.Entries));
    }

    [Fact]
    public void MustHandleEvent_SentToAHaltedActor_IsAMustHandleBug()
    {
        // DFS tries the lowest operation id first, so its first schedule lets the worker dequeue Halt
        // before the sender delivers the work.
        var engine = Explore.Dfs(r =>
        {
            ActorId id = r.CreateActor(typeof(Worker), new WithJournal(new Journal()));
            r.CreateActor(typeof(LateSender), new LateSender.Setup(id, new SendOptions(mustHandle: true)));
        });

        Assert.Equal(BugKind.MustHandle, engine.TestReport.Bug?.Kind);
        Assert.Equal("Numbered was sent with MustHandle to Worker(1), which has halted.", engine.TestReport.Bug!.Message);
    }

    [Fact]
    public void MustHandleEvent_QueuedWhenTheReceiverHalts_IsAMustHandleBug()
    {
        var engine = Explore.Once(r =>
        {
            ActorId id = r.CreateActor(typeof(Worker), new WithJournal(new Journal()));
            r.SendEvent(id, HaltEvent.Instance);
            r.SendEvent(id, new Numbered("work", 1), options: new SendOptions(mustHandle: true));
        });

        Assert.Equal(BugKind.MustHandle, engine.TestReport.Bug?.Kind);
        Assert.Equal("Worker(1) halted with Numbered in its inbox, which was sent with MustHandle.", engine.TestReport.Bug!.Message);
    }

    [Fact]
    public void MustHandleEvent_ThatIsHandled_IsNotABug()
    {
        (var engine, Journal journal) = Explore.Journaled((r, journal) =>
        {
            ActorId id = r.CreateActor(typeof(Worker), new WithJournal(journal));
            r.SendEvent(id, new Numbered("work", 1), options: new SendOptions(mustHandle: true));
            r.SendEvent(id, HaltEvent.Instance);
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["work1", "halted"], journal.Entries);
    }

    private sealed class Quit(ActorId? notify = null) : Event
    {
        public ActorId? Notify { get; } = notify;
    }

    private sealed class Goodbye : Event
    {
    }

    [OnEventDoAction(typeof(Goodbye), nameof(OnGoodbye))]
    private sealed class GoodbyeSink : Actor
    {
        private Journal journal = null!;

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            journal = ((WithJournal)initialEvent!).Journal;
            return Task.CompletedTask;
        }

        private void OnGoodbye() => journal.Add("goodbye");
    }

    [OnEventDoAction(typeof(Numbered), nameof(OnWork))]
    [OnEventDoAction(typeof(Quit), nameof(OnQuit))]
    private sealed class Worker : Actor
    {
        private Journal journal = null!;

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            journal = ((WithJournal)initialEvent!).Journal;
            return Task.CompletedTask;
        }

        protected override Task OnHaltAsync(Event e)
        {
            journal.Add("halted");
            return Task.CompletedTask;
        }

        private void OnWork(Event e) => journal.Add("work" + ((Numbered)e).Seq);

        private void OnQuit(Event e)
        {
            journal.Add("quitting");
            if (((Quit)e).Notify is ActorId notify)
            {
                SendEvent(notify, new Goodbye());
            }

            RaiseHaltEvent();
        }
    }

    [OnEventDoAction(typeof(Numbered), nameof(OnWork))]
    private sealed class ShortLived : Actor
    {
        private Journal journal = null!;

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            journal = ((WithJournal)initialEvent!).Journal;
            journal.Add("initialized");
            RaiseHaltEvent();
            return Task.CompletedTask;
        }

        protected override Task OnHaltAsync(Event e)
        {
            journal.Add("halted");
            return Task.CompletedTask;
        }

        private void OnWork(Event e) => journal.Add("work" + ((Numbered)e).Seq);
    }

    private sealed class LateSender : Actor
    {
        internal sealed class Setup(ActorId target, SendOptions? options) : Event
        {
            public ActorId Target { get; } = target;

            public SendOptions? Options { get; } = options;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            var setup = (Setup)initialEvent!;
            SendEvent(setup.Target, HaltEvent.Instance);
            SendEvent(setup.Target, new Numbered("work", 1), options: setup.Options);
            return Task.CompletedTask;
        }
    }
}
