using System.Threading;
using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;
using static Checker.Tests.StateSpace.Models;

namespace Checker.Tests.StateSpace;

/// <summary>
/// Depth-first search on several workers (<c>--parallel</c>) shares one visited set: each state is
/// expanded once, by whichever worker reaches it first, so an exhausted space has the counts of one
/// worker; a bug is the first one found, with a trace that replays.
/// </summary>
public sealed class ParallelSearchTests
{
    public static TheoryData<string> BugFree => new() { "tickers", "dice-and-tickers", "calls", "lost-update-fixed" };

    public static TheoryData<string> SeededBugs => new() { "lost-update", "abba-deadlock", "order-violation", "hot-at-termination" };

    [Theory]
    [MemberData(nameof(BugFree))]
    public void TwoWorkers_ExhaustTheSpaceOfOne(string model)
    {
        Action<IActorRuntime> test = Model(model);
        TestReport one = Stateful.Run("stateful-dfs", test, 1_000, reduce: false).TestReport;
        TestReport two = Stateful.Run("stateful-dfs", test, 1_000, reduce: false, workers: 2).TestReport;

        Assert.Null(two.Error);
        Assert.True(one.Exhausted);
        Assert.True(two.Exhausted);
        Assert.Equal(2, two.StateSpace!.Workers);
        Assert.Equal(
            (one.StateSpace!.States, one.StateSpace.Transitions, one.StateSpace.TerminalStates),
            (two.StateSpace.States, two.StateSpace.Transitions, two.StateSpace.TerminalStates));
    }

    [Fact]
    public void TwoWorkers_ShareTheWork()
    {
        // 7^5 = 16,807 states. The worker at the initial state starts once the other waits, and gives
        // it the untried transitions nearest the root.
        TestReport two = Stateful.Run("stateful-dfs", Tickers(5, 5), 1_000, reduce: false, workers: 2).TestReport;

        Assert.Equal(16_807, two.StateSpace!.States);
        Assert.True(two.StateSpace.Handoffs > 0);
        Assert.Contains("depth-first on 2 workers sharing one visited set", two.Summary(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SeededBugs))]
    public void TwoWorkers_FindEverySeededBug_WithATraceThatReplays(string fixture)
    {
        // Stateful.Run replays every bug from its trace text and checks it is the same bug.
        TestReport one = Stateful.Run("stateful-dfs", ReductionTests.Fixture(fixture), 1_000, reduce: false).TestReport;
        TestReport two = Stateful.Run("stateful-dfs", ReductionTests.Fixture(fixture), 1_000, reduce: false, workers: 2).TestReport;
        TestReport reduced = Stateful.Run("stateful-dfs", ReductionTests.Fixture(fixture), 1_000, reduce: true, workers: 2).TestReport;

        Assert.NotNull(one.Bug);
        Assert.Equal(one.Bug!.Kind, two.Bug?.Kind);
        Assert.Equal(one.Bug.Kind, reduced.Bug?.Kind);
        Assert.False(two.Exhausted);
    }

    [Fact]
    public void TwoWorkers_StopTogether_AtTheTimeLimit()
    {
        // 8^8 = 16,777,216 states: far more than two workers expand in the one second allowed.
        Configuration config = Configuration.Create()
            .WithStrategy("stateful-dfs", 0)
            .WithParallelism(2)
            .WithTestingTimeout(1);
        TestingEngine engine = TestingEngine.Create(config, Tickers(8, 6));
        engine.Run();
        TestReport report = engine.TestReport;

        Assert.Null(report.Error);
        Assert.Null(report.Bug);
        Assert.True(report.TimedOut);
        Assert.False(report.Exhausted);
        Assert.InRange(report.StateSpace!.States, 1, 16_777_215);
        Assert.Contains("not exhausted: stopped by the time limit", report.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void TwoWorkers_WhoseBoundCutStates_DoNotClaimEveryStateWithinIt()
    {
        // Tickers(3, 3) has 64 states up to depth 12; a bound of 5 cuts some of them.
        TestReport one = Stateful.Run("stateful-dfs", Tickers(3, 3), 5, reduce: false).TestReport;
        TestReport two = Stateful.Run("stateful-dfs", Tickers(3, 3), 5, reduce: false, workers: 2).TestReport;

        Assert.True(one.Exhausted);
        Assert.True(two.StateSpace!.BoundCutStates > 0);
        Assert.False(two.Exhausted);
        Assert.Contains("run on one worker for every state within it", two.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void TwoWorkers_KeepNoCycleGraph_AndSaySo()
    {
        TestReport two = Stateful.Run("stateful-dfs", LivenessModels.NobodySendsGo, 1_000, reduce: false, workers: 2).TestReport;

        Assert.Equal(CycleCheck.OffInParallel, two.StateSpace!.Cycles);
        Assert.Contains("run with one worker for fair-cycle detection", two.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void TwoWorkers_ReportAStateCaptureError_AsTheRunsError()
    {
        TestReport two = Stateful.Run("stateful-dfs", r => r.CreateActor(typeof(CaptureErrorTests.WithCallback)), 1_000, reduce: false, workers: 2).TestReport;

        Assert.Null(two.Bug);
        Assert.StartsWith("State capture failed: WithCallback(1).callback holds a delegate", two.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void StateHash_OfAnIterator_DoesNotDependOnTheThreadThatCreatedIt()
    {
        // A compiler-generated IEnumerable iterator records the managed thread that created it; two
        // workers build the same state on two threads.
        static UInt128 OnNewThread()
        {
            UInt128 hash = 0;
            var t = new Thread(() => hash = Capture.HashOf(r => r.CreateActor(typeof(Reader)), 1));
            t.Start();
            t.Join();
            return hash;
        }

        Assert.Equal(OnNewThread(), OnNewThread());
    }

    private static Action<IActorRuntime> Model(string name) => name switch
    {
        "tickers" => Tickers(3, 3),
        "dice-and-tickers" => r =>
        {
            r.CreateActor(typeof(Dice));
            Tickers(2, 2)(r);
        },
        _ => ReductionTests.Fixture(name),
    };

    /// <summary>Holds an iterator over a sequence, advanced once when it starts.</summary>
    internal sealed class Reader : Actor
    {
        private readonly IEnumerator<int> items = Items().GetEnumerator();

        internal int Current => items.Current;

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            items.MoveNext();
            return Task.CompletedTask;
        }

        private static IEnumerable<int> Items()
        {
            yield return 1;
            yield return 2;
        }
    }
}
