using Checker.Tests.Support;
using Verify.Actors;
using Xunit;

namespace Checker.Tests.Actors;

public sealed class SendEventTests
{
    [Fact]
    public void Send_KeepsFifoOrderPerSenderReceiverPair_InEverySchedule()
    {
        var runs = new List<Journal>();
        var engine = Explore.Dfs(r =>
        {
            var journal = new Journal();
            runs.Add(journal);
            ActorId receiver = r.CreateActor(typeof(OrderCheckingReceiver), new WithJournal(journal));
            r.CreateActor(typeof(NumberingSender), new NumberingSender.Setup("left", receiver, 3));
            r.CreateActor(typeof(NumberingSender), new NumberingSender.Setup("right", receiver, 3));
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.True(engine.TestReport.Exhausted);
        Assert.All(runs, run =>
        {
            Assert.Equal(["left1", "left2", "left3"], run.Entries.Where(e => e.StartsWith("left", StringComparison.Ordinal)));
            Assert.Equal(["right1", "right2", "right3"], run.Entries.Where(e => e.StartsWith("right", StringComparison.Ordinal)));
        });

        // Reachability: the two senders' streams really interleave at the receiver in some schedule.
        Assert.Contains(runs, run => run.ToString() == "left1, right1, left2, right2, left3, right3");
        Assert.Contains(runs, run => run.ToString() == "right1, right2, right3, left1, left2, left3");
    }

    [Fact]
    public void Send_DeliversCausally_WhenAForwardedEventRacesTheOriginal()
    {
        // The origin sends Direct to the sink, then Relay to the forwarder, which forwards it to the
        // sink as Forwarded. Each send is enqueued when it is delivered, in the sender's order, so
        // Direct is in the sink's inbox before the forwarder can even dequeue Relay.
        var runs = new List<Journal>();
        var engine = Explore.Dfs(r =>
        {
            var journal = new Journal();
            runs.Add(journal);
            ActorId sink = r.CreateActor(typeof(CausalSink), new WithJournal(journal));
            ActorId forwarder = r.CreateActor(typeof(Forwarder), new Forwarder.Setup(sink));
            r.CreateActor(typeof(CausalOrigin), new CausalOrigin.Setup(sink, forwarder));
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.True(engine.TestReport.Exhausted);
        Assert.All(runs, run => Assert.Equal(["Direct", "Forwarded"], run.Entries));
        Assert.True(runs.Count > 1, "the sink, forwarder and origin interleave in more than one way");
    }

    [Fact]
    public void Send_FromOneHandler_IsOneSchedulingStepPerEvent()
    {
        // ENGINE.md: each send is a scheduling point. The burster's initialization sends three
        // events: 1 step to initialize, 3 steps to deliver them; the sink then dequeues three.
        // With the sink's own initialization that is 1 + 3 + 1 + 3 = 8 steps.
        var engine = Explore.Once(r =>
        {
            ActorId sink = r.CreateActor(typeof(CountingSink));
            r.CreateActor(typeof(Burster), new Burster.Setup(sink, 3));
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(8, engine.TestReport.MaxSteps);
    }

    [Fact]
    public void Send_FromOneHandler_LetsOtherActorsRunBetweenItsEvents()
    {
        // Because every send is its own step, an observer can run between the burster's first and
        // second delivery: the sink sees First, then the observer's Interleaved, then Second.
        var runs = new List<Journal>();
        Explore.Dfs(r =>
        {
            var journal = new Journal();
            runs.Add(journal);
            ActorId sink = r.CreateActor(typeof(CausalSink), new WithJournal(journal));
            r.CreateActor(typeof(TwoStepBurster), new TwoStepBurster.Setup(sink));
            r.CreateActor(typeof(Interleaver), new Interleaver.Setup(sink));
        });

        Assert.Contains(runs, run => run.ToString() == "First, Interleaved, Second");
        Assert.Contains(runs, run => run.ToString() == "First, Second, Interleaved");
        Assert.Contains(runs, run => run.ToString() == "Interleaved, First, Second");
        Assert.All(runs, run => Assert.Equal(["First", "Second"], run.Entries.Where(e => e != "Interleaved")));
    }

    private sealed class NumberingSender : Actor
    {
        internal sealed class Setup(string name, ActorId target, int count) : Event
        {
            public string Name { get; } = name;

            public ActorId Target { get; } = target;

            public int Count { get; } = count;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            var setup = (Setup)initialEvent!;
            for (int i = 1; i <= setup.Count; i++)
            {
                SendEvent(setup.Target, new Numbered(setup.Name, i));
            }

            return Task.CompletedTask;
        }
    }

    [OnEventDoAction(typeof(Numbered), nameof(OnNumbered))]
    private sealed class OrderCheckingReceiver : Actor
    {
        private readonly Dictionary<string, int> last = [];
        private Journal journal = null!;

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            journal = ((WithJournal)initialEvent!).Journal;
            return Task.CompletedTask;
        }

        private void OnNumbered(Event e)
        {
            var n = (Numbered)e;
            int previous = last.GetValueOrDefault(n.From);
            Assert(n.Seq == previous + 1, "{0} sent {1} but {2} arrived before it", n.From, previous + 1, n.Seq);
            last[n.From] = n.Seq;
            journal.Add(n.From + n.Seq);
        }
    }

    private sealed class Direct : Event
    {
    }

    private sealed class Relay : Event
    {
    }

    private sealed class Forwarded : Event
    {
    }

    private sealed class First : Event
    {
    }

    private sealed class Second : Event
    {
    }

    private sealed class Interleaved : Event
    {
    }

    /// <summary>Journals the type of every event it dequeues.</summary>
    [OnEventDoAction(typeof(WildCardEvent), nameof(OnAny))]
    private sealed class CausalSink : Actor
    {
        private Journal journal = null!;

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            journal = ((WithJournal)initialEvent!).Journal;
            return Task.CompletedTask;
        }

        private void OnAny(Event e) => journal.Add(e.GetType().Name);
    }

    [OnEventDoAction(typeof(Relay), nameof(OnRelay))]
    private sealed class Forwarder : Actor
    {
        private ActorId sink = null!;

        internal sealed class Setup(ActorId sink) : Event
        {
            public ActorId Sink { get; } = sink;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            sink = ((Setup)initialEvent!).Sink;
            return Task.CompletedTask;
        }

        private void OnRelay() => SendEvent(sink, new Forwarded());
    }

    private sealed class CausalOrigin : Actor
    {
        internal sealed class Setup(ActorId sink, ActorId forwarder) : Event
        {
            public ActorId Sink { get; } = sink;

            public ActorId Forwarder { get; } = forwarder;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            var setup = (Setup)initialEvent!;
            SendEvent(setup.Sink, new Direct());
            SendEvent(setup.Forwarder, new Relay());
            return Task.CompletedTask;
        }
    }

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class CountingSink : Actor
    {
        private void OnPing()
        {
        }
    }

    private sealed class Burster : Actor
    {
        internal sealed class Setup(ActorId target, int count) : Event
        {
            public ActorId Target { get; } = target;

            public int Count { get; } = count;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            var setup = (Setup)initialEvent!;
            for (int i = 0; i < setup.Count; i++)
            {
                SendEvent(setup.Target, new Ping());
            }

            return Task.CompletedTask;
        }
    }

    private sealed class TwoStepBurster : Actor
    {
        internal sealed class Setup(ActorId sink) : Event
        {
            public ActorId Sink { get; } = sink;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            ActorId sink = ((Setup)initialEvent!).Sink;
            SendEvent(sink, new First());
            SendEvent(sink, new Second());
            return Task.CompletedTask;
        }
    }

    private sealed class Interleaver : Actor
    {
        internal sealed class Setup(ActorId sink) : Event
        {
            public ActorId Sink { get; } = sink;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            SendEvent(((Setup)initialEvent!).Sink, new Interleaved());
            return Task.CompletedTask;
        }
    }
}
