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
    public static TheoryData<string> Models => new() { "tickers", "calls", "lost-update-fixed-order", "token-passing" };

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
        _ => TokenPassing.Test,
    };
}
