using Verify.Actors;
using Verify.Specifications;

namespace Checker.Tests.StateSpace;

/// <summary>Small models whose state spaces can be counted by hand.</summary>
internal static class Models
{
    /// <summary>Independent tickers, each counting to <paramref name="ticks"/> on default events, then idle.</summary>
    internal static Action<IActorRuntime> Tickers(int actors, int ticks) => r =>
    {
        for (int i = 0; i < actors; i++)
        {
            r.CreateActor(typeof(Ticker), new Ticker.Setup(ticks));
        }
    };

    /// <summary>Actors whose only step is their initialization.</summary>
    internal static Action<IActorRuntime> Starters(int actors) => r =>
    {
        for (int i = 0; i < actors; i++)
        {
            r.CreateActor(typeof(Starter));
        }
    };

    /// <summary>
    /// Counts on default events: step 1 is the initialization (the start state's entry), steps
    /// 2..ticks+1 increment, and the last increment moves to Done, which has no default handler.
    /// So one ticker has ticks + 2 local states and ticks + 1 steps.
    /// </summary>
    internal sealed class Ticker : StateMachine
    {
        private int ticks;
        private int count;

        internal sealed class Setup(int ticks) : Event
        {
            public int Ticks { get; } = ticks;
        }

        [Start]
        [OnEntry(nameof(Begin))]
        [OnEventDoAction(typeof(DefaultEvent), nameof(Tick))]
        private sealed class Counting : State
        {
        }

        private sealed class Done : State
        {
        }

        private void Begin(Event e) => ticks = ((Setup)e).Ticks;

        private void Tick()
        {
            count++;
            if (count == ticks)
            {
                RaiseGotoStateEvent<Done>();
            }
        }
    }

    internal sealed class Starter : Actor
    {
        internal bool Started;

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            Started = true;
            return Task.CompletedTask;
        }
    }

    /// <summary>Draws a RandomInteger(3) and a RandomBoolean when it starts, and keeps both.</summary>
    internal sealed class Dice : Actor
    {
        internal int Die;
        internal bool Coin;

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            Die = RandomInteger(3);
            Coin = RandomBoolean();
            return Task.CompletedTask;
        }
    }

    /// <summary>A mutable box, shared or copied between actors.</summary>
    internal sealed class Box
    {
        public int Value;
        public Box? Next;
    }

    /// <summary>Keeps whatever its setup event carries.</summary>
    internal sealed class Holder : Actor
    {
        internal object? Held;

        internal sealed class Setup(object? held) : Event
        {
            public object? Held { get; } = held;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            Held = ((Setup)initialEvent!).Held;
            return Task.CompletedTask;
        }
    }

    internal sealed class Knock : Event
    {
    }

    internal sealed class Answer : Event
    {
    }

    internal sealed class Go : Event
    {
    }

    internal sealed class Push : Event
    {
    }

    /// <summary>Starts in First; Go moves to Second, Push pushes Second on top of First.</summary>
    internal sealed class Stacker : StateMachine
    {
        [Start]
        [OnEventGotoState(typeof(Go), typeof(Second))]
        [OnEventPushState(typeof(Push), typeof(Second))]
        [IgnoreEvents(typeof(Knock), typeof(Answer))]
        private sealed class First : State
        {
        }

        [IgnoreEvents(typeof(Knock), typeof(Answer))]
        private sealed class Second : State
        {
        }
    }

    /// <summary>A monitor that turns hot on Knock and cold on Answer.</summary>
    internal sealed class Watch : Monitor
    {
        [Start]
        [Cold]
        [OnEventGotoState(typeof(Knock), typeof(Waiting))]
        private sealed class Idle : State
        {
        }

        [Hot]
        [OnEventGotoState(typeof(Answer), typeof(Idle))]
        private sealed class Waiting : State
        {
        }
    }
}

/// <summary>
/// Clients that each make <c>rounds</c> calls to one server, waiting for each response in
/// ReceiveEventAsync inside a loop of their entry action (a continuation with a live loop counter),
/// and flip a coin before each call to pick which of two request kinds to send.
/// </summary>
internal static class Calls
{
    internal static Action<IActorRuntime> Test(int clients, int rounds) => r =>
    {
        ActorId server = r.CreateActor(typeof(Server));
        for (int i = 0; i < clients; i++)
        {
            r.CreateActor(typeof(Client), new Client.Setup(server, rounds));
        }
    };

    internal sealed class Request(ActorId client, bool urgent) : Event
    {
        public ActorId Client { get; } = client;

        public bool Urgent { get; } = urgent;
    }

    internal sealed class Response : Event
    {
    }

    [OnEventDoAction(typeof(Request), nameof(OnRequest))]
    internal sealed class Server : Actor
    {
        private int served;

        private void OnRequest(Event e)
        {
            served++;
            SendEvent(((Request)e).Client, new Response());
        }
    }

    internal sealed class Client : StateMachine
    {
        internal sealed class Setup(ActorId server, int rounds) : Event
        {
            public ActorId Server { get; } = server;

            public int Rounds { get; } = rounds;
        }

        [Start]
        [OnEntry(nameof(Call))]
        private sealed class Calling : State
        {
        }

        private async Task Call(Event e)
        {
            var setup = (Setup)e;
            for (int round = 0; round < setup.Rounds; round++)
            {
                SendEvent(setup.Server, new Request(Id, RandomBoolean()));
                await ReceiveEventAsync(typeof(Response));
            }
        }
    }
}

/// <summary>
/// Three actors pass a token around a ring for a few hops, appending to a log list and a tally
/// dictionary they all share; each also starts by setting a flag in the shared tally, so the
/// starts race. Shared mutable collections, reached first by different actors in different states.
/// </summary>
internal static class TokenPassing
{
    internal static void Test(IActorRuntime r)
    {
        var shared = new Shared();
        var ids = new ActorId[3];
        for (int i = 0; i < 3; i++)
        {
            ids[i] = r.CreateActorId(typeof(Node));
        }

        for (int i = 0; i < 3; i++)
        {
            r.CreateActor(ids[i], typeof(Node), new Node.Setup(shared, ids[(i + 1) % 3], i == 0));
        }
    }

    internal sealed class Shared
    {
        public readonly List<long> Log = [];
        public readonly Dictionary<long, int> Tally = [];
    }

    internal sealed class Token(int hops) : Event
    {
        public int Hops { get; } = hops;
    }

    [OnEventDoAction(typeof(Token), nameof(OnToken))]
    internal sealed class Node : Actor
    {
        private Shared shared = null!;
        private ActorId next = null!;

        internal sealed class Setup(Shared shared, ActorId next, bool first) : Event
        {
            public Shared Shared { get; } = shared;

            public ActorId Next { get; } = next;

            public bool First { get; } = first;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            var setup = (Setup)initialEvent!;
            shared = setup.Shared;
            next = setup.Next;
            shared.Tally[Id.Value] = 0;
            if (setup.First)
            {
                SendEvent(next, new Token(4));
            }

            return Task.CompletedTask;
        }

        private void OnToken(Event e)
        {
            int hops = ((Token)e).Hops;
            shared.Log.Add(Id.Value);
            shared.Tally[Id.Value] = shared.Tally.GetValueOrDefault(Id.Value) + 1;
            if (hops > 1)
            {
                SendEvent(next, new Token(hops - 1));
            }
        }
    }
}
