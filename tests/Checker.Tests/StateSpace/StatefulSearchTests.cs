using Checker.Tests.Fixtures;
using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Verify.Traces;
using Xunit;
using static Checker.Tests.StateSpace.Models;

namespace Checker.Tests.StateSpace;

/// <summary>
/// Stateful search counts are exact. A state is counted once however many interleavings reach it;
/// a transition is one actor step (with one sequence of random answers) from an expanded state.
/// Independent actors with l1, l2, ... local states give the product of the l's as states.
/// </summary>
public sealed class StatefulSearchTests
{
    public static TheoryData<string> Searches => new() { "stateful-dfs", "stateful-bfs" };

    [Theory]
    [MemberData(nameof(Searches))]
    public void Search_TwoIndependentTickers_VisitsTheProductOfTheirLocalStates(string search)
    {
        // A ticker counting to 2 has 4 local states (created, 0, 1, 2) and 3 steps. Two of them:
        // 4 * 4 = 16 states; from local states 0..2 each ticker has a step in each of the other's
        // 4 states: 2 * 3 * 4 = 24 transitions; one terminal state; the longest path has 3 + 3 steps.
        TestReport report = Stateful.Run(search, Tickers(2, 2), 1_000, reduce: false).TestReport;
        StateSpaceReport space = report.StateSpace!;

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
        Assert.Equal(16, space.States);
        Assert.Equal(24, space.Transitions);
        Assert.Equal(1, space.TerminalStates);
        Assert.Equal(6, space.MaxDepth);
        Assert.Equal(0, space.BoundCutStates);
    }

    [Fact]
    public void StatefulDfs_ExpandsEachStateOnce_WhereStatelessDfsRunsEverySchedule()
    {
        // Stateless DFS runs every interleaving of the two 3-step sequences: 6! / (3! 3!) = 20 runs
        // of 6 steps. The stateful search executes each of the 24 transitions once.
        TestReport stateless = Explore.Dfs(Tickers(2, 2)).TestReport;
        TestReport stateful = Stateful.Dfs(Tickers(2, 2)).TestReport;

        Assert.Equal(20, stateless.Iterations);
        Assert.Equal(120, stateless.TotalSteps);
        Assert.Equal(24, stateful.StateSpace!.Transitions);
    }

    [Theory]
    [MemberData(nameof(Searches))]
    public void Search_ExploresEveryRandomAnswer(string search)
    {
        // The dice actor draws RandomInteger(3) then RandomBoolean() in its first step: 3 * 2 = 6
        // transitions from the initial state to 6 distinct terminal states; 7 states in all.
        StateSpaceReport space = Stateful.Run(search, r => r.CreateActor(typeof(Dice)), 1_000, reduce: false).Space();

        Assert.Equal(7, space.States);
        Assert.Equal(6, space.Transitions);
        Assert.Equal(6, space.TerminalStates);
    }

    [Theory]
    [MemberData(nameof(Searches))]
    public void Search_ExploresEveryRandomAnswerOfTheTestBody(string search)
    {
        // The body starts 0, 1 or 2 starters (RandomInteger(3)): three initial states. With k starters
        // there are 2^k states (each created or started) and k * 2^(k-1) transitions:
        // states 1 + 2 + 4 = 7, transitions 0 + 1 + 4 = 5, one terminal state per initial state.
        StateSpaceReport space = Stateful.Run(search, r => Starters(r.RandomInteger(3))(r), 1_000, reduce: false).Space();

        Assert.Equal(7, space.States);
        Assert.Equal(5, space.Transitions);
        Assert.Equal(3, space.TerminalStates);
    }

    [Theory]
    [MemberData(nameof(Searches))]
    public void Search_ThroughReceives_CountsEachSuspendedContinuationAsAState(string search)
    {
        // Server phases: created, idle, replied (response queued), delivered; client phases: created,
        // waiting (request queued), waiting (request delivered), done. The request reaches the server
        // created or idle; the server replies only once idle with the request in its inbox; the client
        // resumes only once the response is delivered. States: 2 + 2 + 4 + 1 = 9; transitions: client
        // start 2 + server start 3 + request delivery 2 + reply 1 + response delivery 1 + resume 1 = 10.
        TestingEngine engine = Stateful.Run(search, RequestResponse.Test, 1_000, reduce: false);
        StateSpaceReport space = engine.Space();

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(9, space.States);
        Assert.Equal(10, space.Transitions);
        Assert.Equal(1, space.TerminalStates);
    }

    [Theory]
    [MemberData(nameof(Searches))]
    public void Search_WithinADepthBound_CountsTheCutStates_AndSaysSo(string search)
    {
        // With -ms 3 the states (i, j) of the two tickers with i + j <= 3 are reached: 1 + 2 + 3 + 4 = 10.
        // The 4 states at depth 3 all have an enabled step, so the bound cuts them; the 6 states at
        // depth 0..2 are expanded with 2 transitions each: 12.
        TestReport report = Stateful.Run(search, Tickers(2, 2), 3, reduce: false).TestReport;

        Assert.Equal(10, report.StateSpace!.States);
        Assert.Equal(12, report.StateSpace.Transitions);
        Assert.Equal(4, report.StateSpace.BoundCutStates);
        Assert.Contains("Result        exhausted: no bug within these bounds (every state within 3 steps; the bound cut 4 states)\n", report.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void Search_OfTheWholeSpace_SaysNoStateWasCut()
    {
        string summary = Stateful.Dfs(Tickers(2, 2)).TestReport.Summary();

        Assert.Contains("States        16 distinct, 24 transitions, 1 terminal; depth up to 6 (bound 1,000)\n", summary, StringComparison.Ordinal);
        Assert.Contains("Reduction     off\n", summary, StringComparison.Ordinal);
        Assert.Contains("Result        exhausted: no bug within these bounds (all 16 reachable states, none deeper than the 1,000-step bound)\n", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_WithFailOnMaxSteps_ReportsTheBoundAsABug_ThatReplays()
    {
        TestReport report = Stateful.Run("stateful-dfs", Tickers(2, 2), 3, reduce: false, failOnMaxSteps: true).TestReport;

        Assert.Equal(BugKind.MaxSteps, report.Bug?.Kind);
        Assert.Equal(3, report.Bug!.Step);
    }

    [Theory]
    [MemberData(nameof(Searches))]
    public void Search_FindsLostUpdate_InFifteenSteps(string search)
    {
        // Every buggy run has the same 15 steps: the counter starts; each incrementer starts (its
        // read request queued), has it delivered, is served (reply queued, delivered), handles the
        // reply (write queued, delivered); the counter handles both writes: 1 + 2 * 7 = 15.
        TestingEngine engine = Stateful.Run(search, LostUpdate.Test, 1_000, reduce: false);

        Assert.Equal(BugKind.Assertion, engine.TestReport.Bug?.Kind);
        Assert.Equal(LostUpdate.Message, engine.TestReport.Bug!.Message);
        Assert.Equal(15, engine.TraceSteps());
    }

    [Theory]
    [MemberData(nameof(Searches))]
    public void Search_FindsAbbaDeadlock_ThroughSuspendedHandlers(string search)
    {
        // 16 steps: both locks start (2); both clients start, queue an Acquire and wait (2); the
        // Acquires are delivered and granted (4); the grants are delivered and resume the clients,
        // which queue their second Acquire (4); those are delivered and queued behind the holder (4).
        TestingEngine engine = Stateful.Run(search, AbbaDeadlock.Test, 1_000, reduce: false);

        Assert.Equal(BugKind.Deadlock, engine.TestReport.Bug?.Kind);
        Assert.Equal(
            "Deadlock at step 16: no operation is enabled. Waiting: ClientAB in Working for Granted; ClientBA in Working for Granted. Run `verify replay` on the trace for the events.",
            engine.TestReport.Bug!.Message);
        Assert.Equal(16, engine.TraceSteps());
    }

    [Fact]
    public void StatefulBfs_FindsTheShortestOrderViolation_AndDfsNoShorter()
    {
        // Shortest: the user starts (Hop queued), and twice has its Hop delivered and handles it (4),
        // the last sending Use, which is delivered (1); the consumer starts and dequeues Use (2):
        // 1 + 4 + 1 + 2 = 8 steps. The initializer need not run at all.
        TestingEngine bfs = Stateful.Bfs(OrderViolation.Test(hops: 2));
        TestingEngine dfs = Stateful.Dfs(OrderViolation.Test(hops: 2));

        Assert.Equal(OrderViolation.Message, bfs.TestReport.Bug?.Message);
        Assert.Equal(OrderViolation.Message, dfs.TestReport.Bug?.Message);
        Assert.Equal(8, bfs.TraceSteps());
        Assert.True(dfs.TraceSteps() >= bfs.TraceSteps());
    }

    [Fact]
    public void BugTrace_IsAnOrdinaryTrace_ThatReplaysFromItsFile()
    {
        TestingEngine engine = Stateful.Bfs(LostUpdate.Test);
        Trace trace = TraceReader.Read(engine.ReproducibleTrace);

        Assert.Equal("stateful-bfs", trace.Strategy);
        Assert.Equal(engine.TestReport.Bug!.Summary, trace.Bug);
        Assert.Equal(15, trace.Decisions.Count(d => d.Kind == DecisionKind.Schedule));
        Assert.EndsWith("BUG Assertion: " + LostUpdate.Message, engine.ReadableTrace.TrimEnd(), StringComparison.Ordinal);

        TestingEngine replay = Explore.Replay(LostUpdate.Test, engine.ReproducibleTrace);
        Assert.Null(replay.TestReport.Divergence);
        Assert.Equal(engine.TestReport.Bug.Summary, replay.TestReport.Bug?.Summary);
    }

    [Fact]
    public void Summary_OfABug_SaysWhereAndHowItWasFound()
    {
        string summary = Stateful.Bfs(LostUpdate.Test).TestReport.Summary();

        Assert.Contains("Strategy      stateful-bfs: stateful exhaustive search, breadth-first (shortest counterexample)\n", summary, StringComparison.Ordinal);
        Assert.Contains("Bug           found at step 15 (stateful-bfs)\n", summary, StringComparison.Ordinal);
        Assert.Contains("              Assertion: " + LostUpdate.Message + "\n", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Result", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_ChecksHotMonitorsAtTermination()
    {
        TestReport report = Stateful.Bfs(UnansweredRequest.Test(livelock: false)).TestReport;

        Assert.Equal(BugKind.Liveness, report.Bug?.Kind);
        Assert.StartsWith("Monitor ResponseLiveness detected a liveness bug: in hot state Waiting at the end of the run", report.Bug!.Message, StringComparison.Ordinal);
    }

    /// <summary>A client that sends a request and waits for the response inside its entry action.</summary>
    internal static class RequestResponse
    {
        internal static void Test(IActorRuntime r)
        {
            ActorId server = r.CreateActor(typeof(Server));
            r.CreateActor(typeof(Client), new Client.Setup(server));
        }

        internal sealed class Request(ActorId client) : Event
        {
            public ActorId Client { get; } = client;
        }

        internal sealed class Response : Event
        {
        }

        [OnEventDoAction(typeof(Request), nameof(OnRequest))]
        internal sealed class Server : Actor
        {
            private void OnRequest(Event e) => SendEvent(((Request)e).Client, new Response());
        }

        internal sealed class Client : StateMachine
        {
            internal sealed class Setup(ActorId server) : Event
            {
                public ActorId Server { get; } = server;
            }

            [Start]
            [OnEntry(nameof(Call))]
            private sealed class Calling : State
            {
            }

            private async Task Call(Event e)
            {
                SendEvent(((Setup)e).Server, new Request(Id));
                await ReceiveEventAsync(typeof(Response));
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1_000)]
    public void Coverage_CountsEachTransitionOnce_HoweverOftenStepsAreReExecuted(int snapshotInterval)
    {
        // Two tickers of two ticks: each ticker's two Tick handlers run from each of the other's 4
        // local states, 16 transitions in all; with one snapshot per 1,000 levels the search re-executes
        // steps to move back, and those must not count again.
        Configuration config = Configuration.Create().WithStrategy("stateful-dfs", 0).WithRandomGeneratorSeed(1).WithActivityCoverageReported();
        config.SnapshotInterval = snapshotInterval;
        TestingEngine engine = TestingEngine.Create(config, Tickers(2, 2));
        engine.Run();
        TestReport report = engine.TestReport;

        Assert.Equal(24, report.StateSpace!.Transitions);
        Assert.Equal(snapshotInterval > 1, report.StateSpace.ReplayedSteps > 0);
        Assert.Equal(16, report.Coverage!.Entries.Where(e => e.Action.EndsWith("Tick", StringComparison.Ordinal)).Sum(e => e.Count));
    }
}
