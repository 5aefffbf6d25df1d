using Checker.Tests.Fixtures;
using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.Strategies;

/// <summary>
/// DFS counts are exact. An actor's operations run in order and the actor is enabled exactly while
/// it has a next one, so independent actors with a, b, ... operations give the multinomial number
/// of interleavings (a+b)!/(a! b!); random choices multiply the count by their bounds.
/// </summary>
public sealed class DfsStrategyTests
{
    [Fact]
    public void Dfs_TwoActorsOfTwoStepsEach_GivesSixSchedules()
    {
        // Each worker: 1 initialization + 1 dequeue of the Ping the test sent = 2 steps.
        // Interleavings of two 2-step sequences: 4!/(2! 2!) = 6.
        var runs = new List<Journal>();
        TestReport report = Explore.Dfs(r =>
        {
            var journal = new Journal();
            runs.Add(journal);
            foreach (string name in new[] { "a", "b" })
            {
                ActorId id = r.CreateActor(typeof(StepWorker), new StepWorker.Setup(journal, name, selfSends: 0));
                r.SendEvent(id, new Ping());
            }
        }).TestReport;

        Assert.Null(report.Bug);
        Assert.Equal(6, report.Iterations);
        Assert.True(report.Exhausted);
        Assert.Equal(6, runs.Select(r => r.ToString()).Distinct().Count());
    }

    [Fact]
    public void Dfs_ThreeActorsOfOneStepEach_GivesSixSchedules()
    {
        // Three 1-step sequences (initializations only): 3! = 6, one per start order.
        var runs = new List<Journal>();
        TestReport report = Explore.Dfs(r =>
        {
            var journal = new Journal();
            runs.Add(journal);
            foreach (string name in new[] { "a", "b", "c" })
            {
                r.CreateActor(typeof(StepWorker), new StepWorker.Setup(journal, name, selfSends: 0));
            }
        }).TestReport;

        Assert.Equal(6, report.Iterations);
        Assert.True(report.Exhausted);
        Assert.Equal(
            ["a start, b start, c start", "a start, c start, b start", "b start, a start, c start", "b start, c start, a start", "c start, a start, b start", "c start, b start, a start"],
            runs.Select(r => r.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Dfs_TwoActorsEachSendingItselfOneEvent_GivesTwentySchedules()
    {
        // Each worker: initialization, delivery of its self-send (a send is its own step), dequeue
        // = 3 steps. Interleavings of two 3-step sequences: 6!/(3! 3!) = 20.
        TestReport report = Explore.Dfs(r =>
        {
            r.CreateActor(typeof(StepWorker), new StepWorker.Setup(new Journal(), "a", selfSends: 1));
            r.CreateActor(typeof(StepWorker), new StepWorker.Setup(new Journal(), "b", selfSends: 1));
        }).TestReport;

        Assert.Null(report.Bug);
        Assert.Equal(20, report.Iterations);
        Assert.True(report.Exhausted);
        Assert.Equal(20 * 6, report.TotalSteps);
    }

    [Fact]
    public void Dfs_TwoActorsEachProcessingTwoSelfSentEvents_Gives252Schedules()
    {
        // Each worker: initialization, two deliveries, two dequeues = 5 steps: 10!/(5! 5!) = 252.
        TestReport report = Explore.Dfs(r =>
        {
            r.CreateActor(typeof(StepWorker), new StepWorker.Setup(new Journal(), "a", selfSends: 2));
            r.CreateActor(typeof(StepWorker), new StepWorker.Setup(new Journal(), "b", selfSends: 2));
        }).TestReport;

        Assert.Equal(252, report.Iterations);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void Dfs_EnumeratesEveryRandomBoolean_ThreeCoinFlipsGiveEightIterations()
    {
        var outcomes = new List<string>();
        TestReport report = Explore.Dfs(r => r.CreateActor(typeof(CoinFlipper), new CoinFlipper.Setup(outcomes, 3))).TestReport;

        Assert.Equal(8, report.Iterations);
        Assert.True(report.Exhausted);
        Assert.Equal(
            ["FFF", "FFT", "FTF", "FTT", "TFF", "TFT", "TTF", "TTT"],
            outcomes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Dfs_MultipliesSchedulesByRandomChoices()
    {
        // Two 1-step actors (2 orders), one of which flips a coin in its step: 2 x 2 = 4.
        TestReport report = Explore.Dfs(r =>
        {
            r.CreateActor(typeof(CoinFlipper), new CoinFlipper.Setup([], 1));
            r.CreateActor(typeof(StepWorker), new StepWorker.Setup(new Journal(), "a", selfSends: 0));
        }).TestReport;

        Assert.Equal(4, report.Iterations);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void Dfs_WithASmallerBudget_IsNotExhausted()
    {
        TestReport report = Explore.Dfs(
            r =>
            {
                r.CreateActor(typeof(StepWorker), new StepWorker.Setup(new Journal(), "a", selfSends: 1));
                r.CreateActor(typeof(StepWorker), new StepWorker.Setup(new Journal(), "b", selfSends: 1));
            },
            iterations: 19).TestReport;

        Assert.Equal(19, report.Iterations);
        Assert.False(report.Exhausted);
    }

    [Fact]
    public void Dfs_StopsAtTheFirstBug()
    {
        TestReport report = Explore.Dfs(LostUpdate.Test).TestReport;

        Assert.Equal(BugKind.Assertion, report.Bug?.Kind);
        Assert.Equal(report.BugIteration + 1, report.Iterations);
        Assert.False(report.Exhausted);
    }

    [Fact]
    public void Dfs_CutsEndlessRunsAtTheStepBound_AndStillExhausts()
    {
        // One actor pinging itself forever has one schedule, cut at 50 steps.
        TestReport report = Explore.Dfs(r => r.CreateActor(typeof(EndlessPinger)), maxSteps: 50).TestReport;

        Assert.Null(report.Bug);
        Assert.Equal(1, report.Iterations);
        Assert.True(report.Exhausted);
        Assert.Equal(1, report.StepBoundHits);
        Assert.Equal(50, report.MaxSteps);
    }

    [Fact]
    public void Dfs_OnAModelThatChangesBetweenIterations_ReportsNondeterminism()
    {
        // The test body reads a counter the engine does not control: the second iteration creates
        // a third actor, so the first decision offers three operations where it offered two.
        int runs = 0;
        TestReport report = Explore.Dfs(r =>
        {
            runs++;
            int actors = runs == 1 ? 2 : 3;
            for (int i = 0; i < actors; i++)
            {
                r.CreateActor(typeof(StepWorker), new StepWorker.Setup(new Journal(), "w" + i, selfSends: 0));
            }
        }).TestReport;

        Assert.Null(report.Bug);
        Assert.Equal(
            "The model is not deterministic: decision 1 offered 3 choices on replay but 2 before. "
            + "Models must take every choice from the engine (no clocks, System.Random or shared statics across iterations).",
            report.Error);
    }

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class StepWorker : Actor
    {
        private Journal journal = null!;
        private string name = string.Empty;

        internal sealed class Setup(Journal journal, string name, int selfSends) : Event
        {
            public Journal Journal { get; } = journal;

            public string Name { get; } = name;

            public int SelfSends { get; } = selfSends;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            var setup = (Setup)initialEvent!;
            journal = setup.Journal;
            name = setup.Name;
            journal.Add(name + " start");
            for (int i = 0; i < setup.SelfSends; i++)
            {
                SendEvent(Id, new Ping());
            }

            return Task.CompletedTask;
        }

        private void OnPing() => journal.Add(name + " ping");
    }

    private sealed class CoinFlipper : Actor
    {
        internal sealed class Setup(List<string> outcomes, int flips) : Event
        {
            public List<string> Outcomes { get; } = outcomes;

            public int Flips { get; } = flips;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            var setup = (Setup)initialEvent!;
            string outcome = string.Concat(Enumerable.Range(0, setup.Flips).Select(_ => RandomBoolean() ? "T" : "F"));
            setup.Outcomes.Add(outcome);
            return Task.CompletedTask;
        }
    }

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class EndlessPinger : Actor
    {
        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            SendEvent(Id, new Ping());
            return Task.CompletedTask;
        }

        private void OnPing() => SendEvent(Id, new Ping());
    }
}
