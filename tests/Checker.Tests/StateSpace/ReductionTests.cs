using Checker.Tests.Fixtures;
using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;
using Xunit.Abstractions;
using static Checker.Tests.StateSpace.Models;

namespace Checker.Tests.StateSpace;

/// <summary>
/// Partial-order reduction expands, where it can, the step of one actor that commutes with all the
/// others (a handler on an event already queued, touching nothing shared, notifying no monitor,
/// creating, halting or waiting for nothing). It must find every bug the full search finds, keep
/// every terminal state (deadlocks and hot monitors are judged there), and visit fewer states.
/// </summary>
public sealed class ReductionTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> SeededBugs => new()
    {
        { "stateful-dfs", "lost-update" },
        { "stateful-dfs", "abba-deadlock" },
        { "stateful-dfs", "order-violation" },
        { "stateful-dfs", "hot-at-termination" },
        { "stateful-bfs", "lost-update" },
        { "stateful-bfs", "abba-deadlock" },
        { "stateful-bfs", "order-violation" },
        { "stateful-bfs", "hot-at-termination" },
    };

    public static TheoryData<string> BugFree => new() { "calls", "starters", "lost-update-fixed" };

    [Fact]
    public void Reduction_OfIndependentStarts_ExploresOneOrder()
    {
        // Three actors whose only step is their start. Full: each subset of started actors is a
        // state, 2^3 = 8, with 3 * 2^2 = 12 transitions. Reduced: every start is local, so each
        // state expands one of them: 000 -> 100 -> 110 -> 111, 4 states and 3 transitions; the
        // first two are reduced (110 has one enabled step anyway).
        StateSpaceReport full = Stateful.Dfs(Starters(3)).Space();
        StateSpaceReport reduced = Stateful.Dfs(Starters(3), reduce: true).Space();

        Assert.Equal((8, 12), (full.States, full.Transitions));
        Assert.Equal((4, 3), (reduced.States, reduced.Transitions));
        Assert.Equal(2, reduced.ReducedStates);
    }

    [Theory]
    [MemberData(nameof(SeededBugs))]
    public void Reduction_FindsEverySeededBug_TheFullSearchFinds(string search, string fixture)
    {
        Action<IActorRuntime> test = Fixture(fixture);
        TestingEngine full = Stateful.Run(search, test, 1_000, reduce: false);
        TestingEngine reduced = Stateful.Run(search, test, 1_000, reduce: true);
        output.WriteLine($"{search} {fixture}: full {full.Space().States} states, {full.Space().Transitions} transitions; "
            + $"reduced {reduced.Space().States} states, {reduced.Space().Transitions} transitions");

        Assert.NotNull(full.TestReport.Bug);
        Assert.Equal(full.TestReport.Bug!.Kind, reduced.TestReport.Bug?.Kind);
        Assert.Equal(WithoutStep(full.TestReport.Bug.Message), WithoutStep(reduced.TestReport.Bug!.Message));
        Assert.True(reduced.Space().States <= full.Space().States);
    }

    [Theory]
    [MemberData(nameof(BugFree))]
    public void Reduction_OnABugFreeModel_KeepsEveryTerminalState_WithFewerStates(string model)
    {
        foreach (string search in new[] { "stateful-dfs", "stateful-bfs" })
        {
            TestingEngine full = Stateful.Run(search, Fixture(model), 1_000, reduce: false);
            TestingEngine reduced = Stateful.Run(search, Fixture(model), 1_000, reduce: true);
            output.WriteLine($"{search} {model}: full {full.Space().States} states, {full.Space().Transitions} transitions; "
                + $"reduced {reduced.Space().States} states, {reduced.Space().Transitions} transitions, {reduced.Space().ReducedStates} expanded through one actor");

            Assert.True(full.TestReport.Exhausted && reduced.TestReport.Exhausted);
            Assert.Equal(full.Space().TerminalStates, reduced.Space().TerminalStates);
            Assert.True(reduced.Space().States < full.Space().States, $"{search} {model}: {reduced.Space().States} < {full.Space().States}");
        }
    }

    [Fact]
    public void Reduction_NeverReorders_ActorsThatShareAMutableObject()
    {
        // The three ring nodes share one log and tally: no step of theirs is local.
        StateSpaceReport full = Stateful.Dfs(TokenPassing.Test).Space();
        StateSpaceReport reduced = Stateful.Dfs(TokenPassing.Test, reduce: true).Space();

        Assert.Equal(0, reduced.ReducedStates);
        Assert.Equal((full.States, full.Transitions), (reduced.States, reduced.Transitions));
    }

    [Fact]
    public void Reduction_RunsTheDeclaredPrivateSteps_OfThreadsSharingMemory_Alone()
    {
        // Two threads, 3 private steps each, then an atomic increment of a shared counter. Declared,
        // a private step is local although the threads hold the same object: fewer states, the same
        // terminal state. Undeclared, the shared object makes every step global, as before.
        StateSpaceReport full = Stateful.Dfs(SharedMemoryCounter.Test(declaring: true, split: false, work: 3)).Space();
        StateSpaceReport reduced = Stateful.Dfs(SharedMemoryCounter.Test(declaring: true, split: false, work: 3), reduce: true).Space();
        StateSpaceReport plain = Stateful.Dfs(SharedMemoryCounter.Test(declaring: false, split: false, work: 3), reduce: true).Space();
        output.WriteLine($"full {full.States} states, reduced {reduced.States} ({reduced.ReducedStates} through one actor), undeclared {plain.States}");

        Assert.True(reduced.States < full.States, $"{reduced.States} < {full.States}");
        Assert.True(reduced.ReducedStates > 0);
        Assert.Equal((1, 1), (full.TerminalStates, reduced.TerminalStates));
        Assert.Equal(0, plain.ReducedStates);
        Assert.Equal(full.States, plain.States);
    }

    [Theory]
    [InlineData("stateful-dfs")]
    [InlineData("stateful-bfs")]
    public void Reduction_FindsTheLostUpdate_BetweenDeclaredSharedAccesses(string search)
    {
        Action<IActorRuntime> test = SharedMemoryCounter.Test(declaring: true, split: true, work: 3);
        TestingEngine full = Stateful.Run(search, test, 1_000, reduce: false);
        TestingEngine reduced = Stateful.Run(search, test, 1_000, reduce: true);

        Assert.Contains(SharedMemoryCounter.Message, full.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains(SharedMemoryCounter.Message, reduced.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.True(reduced.Space().ReducedStates > 0);
    }

    [Fact]
    public void Reduction_IsNamedInTheSummary()
    {
        string summary = Stateful.Dfs(Starters(3), reduce: true).TestReport.Summary();

        Assert.Contains("Strategy      stateful-dfs(por): stateful exhaustive search, depth-first\n", summary, StringComparison.Ordinal);
        Assert.Contains("Reduction     partial-order, 2 of 4 states expanded through one actor\n", summary, StringComparison.Ordinal);
    }

    private static string WithoutStep(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @"(at|terminated at) step \d+", "$1 step N");

    internal static Action<IActorRuntime> Fixture(string name) => name switch
    {
        "lost-update" => LostUpdate.Test,
        "abba-deadlock" => AbbaDeadlock.Test,
        "order-violation" => OrderViolation.Test(hops: 2),
        "hot-at-termination" => UnansweredRequest.Test(livelock: false),
        "calls" => Calls.Test(clients: 2, rounds: 2),
        "token-passing" => TokenPassing.Test,
        "starters" => Starters(4),
        _ => r =>
        {
            // Lost update made safe: each incrementer's read and write are one request.
            ActorId counter = r.CreateActor(typeof(LostUpdate.CounterHolder));
            r.CreateActor(typeof(LostUpdate.Incrementer), new LostUpdate.Incrementer.Setup(counter));
            r.CreateActor(typeof(Starter));
            r.CreateActor(typeof(Starter));
        },
    };
}
