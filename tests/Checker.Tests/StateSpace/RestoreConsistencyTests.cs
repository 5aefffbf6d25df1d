using Checker.Tests.Fixtures;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;
using static Checker.Tests.StateSpace.Models;

namespace Checker.Tests.StateSpace;

/// <summary>
/// Moving back to a state by restoring a snapshot must give the very state that re-executing its
/// decisions from the start gives. Depth-first runs with a snapshot on every level (no cursor copy
/// is taken), on every third, and on none but the first (moves restore the cursor copy of the last
/// new state, taken over the copy before it, or re-execute); breadth-first with a snapshot for
/// every frontier state, for five at a time, and for none: the counts must agree, or a restore
/// left something behind.
/// </summary>
public sealed class RestoreConsistencyTests
{
    public static TheoryData<string> Models => new() { "tickers", "calls", "lost-update-fixed-order", "token-passing", "equal-events" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Counts_AgreeAcrossSnapshotIntervals_AndSearchOrders(string model)
    {
        Action<IActorRuntime> test = Model(model);
        var counts = new List<(long States, long Transitions, long Terminal)>();
        foreach (int interval in new[] { 1, 3, int.MaxValue })
        {
            StateSpaceReport space = Stateful.Run("stateful-dfs", test, 1_000, reduce: false, snapshotInterval: interval).Space();
            counts.Add((space.States, space.Transitions, space.TerminalStates));
        }

        foreach (int budget in new[] { 100_000, 5, 0 })
        {
            StateSpaceReport space = Stateful.Run("stateful-bfs", test, 1_000, reduce: false, snapshotBudget: budget).Space();
            counts.Add((space.States, space.Transitions, space.TerminalStates));
        }

        Assert.Single(counts.Distinct());
        Assert.True(counts[0].States > 1);
    }

    private static Action<IActorRuntime> Model(string name) => name switch
    {
        "tickers" => Tickers(3, 2),
        "calls" => Calls.Test(clients: 2, rounds: 2),
        "lost-update-fixed-order" => r =>
        {
            // The lost-update model with one incrementer: no bug, but reads, replies and writes.
            ActorId counter = r.CreateActor(typeof(LostUpdate.CounterHolder));
            r.CreateActor(typeof(LostUpdate.Incrementer), new LostUpdate.Incrementer.Setup(counter));
        },
        "equal-events" => r =>
        {
            ActorId keeper = r.CreateActor(typeof(Keeper));
            r.CreateActor(typeof(TagSender), new TagSender.Setup(keeper));
        },
        _ => TokenPassing.Test,
    };

    /// <summary>
    /// An event equal to every other of its number (it overrides Equals). A snapshot must keep the
    /// very objects an inbox held: an equal one in their place would change what aliases what.
    /// </summary>
    internal sealed class Tag(int n) : Event
    {
        public int N { get; } = n;

        public override bool Equals(object? obj) => obj is Tag t && t.N == N;

        public override int GetHashCode() => N;
    }

    /// <summary>Sends a Tag twice, each time either the one it keeps in a field (aliased) or an equal new one.</summary>
    internal sealed class TagSender : StateMachine
    {
        private ActorId keeper = null!;
        private Tag kept = new(1);
        private int sent;

        internal sealed class Setup(ActorId keeper) : Event
        {
            public ActorId Keeper { get; } = keeper;
        }

        [Start]
        [OnEntry(nameof(Begin))]
        [OnEventDoAction(typeof(DefaultEvent), nameof(Send))]
        private sealed class Sending : State
        {
        }

        private sealed class Done : State
        {
        }

        private void Begin(Event e) => keeper = ((Setup)e).Keeper;

        private void Send()
        {
            SendEvent(keeper, RandomBoolean() ? kept : new Tag(1));
            if (++sent == 2)
            {
                RaiseGotoStateEvent<Done>();
            }
        }
    }

    /// <summary>Keeps the last Tag it received.</summary>
    internal sealed class Keeper : StateMachine
    {
        private Tag? last;

        [Start]
        [OnEventDoAction(typeof(Tag), nameof(Keep))]
        private sealed class Keeping : State
        {
        }

        private void Keep(Event e) => last = (Tag)e;
    }
}
