using Checker.Tests.Fixtures;
using Checker.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Verify;
using Verify.Actors;
using Verify.Specifications;
using Verify.SystematicTesting;
using Verify.Strategies;
using Xunit;

namespace Checker.Tests.SystematicTesting;

/// <summary>One seed gives one trace, whatever the run, the process or the number of workers.</summary>
public sealed class DeterminismTests
{
    private static readonly (string Strategy, int Bound)[] Strategies =
    [
        ("random", 0), ("probabilistic", 0), ("prioritization", 2), ("fair-prioritization", 2),
        ("delay-bounding", 2), ("fair-delay-bounding", 2), ("portfolio", 0),
    ];

    [Fact]
    public void SameSeed_GivesByteIdenticalTraces_AcrossTwoEngineRuns()
    {
        Arbitrary<(int Strategy, ulong Seed)> cases = Gen.Choose(0, Strategies.Length - 1).Zip(ArbMap.Default.GeneratorFor<ulong>()).ToArbitrary();

        Properties.Check(cases, c =>
        {
            (string strategy, int bound) = Strategies[c.Strategy];
            TestingEngine first = Explore.With(strategy, OrderViolation.Test(hops: 1), iterations: 200, seed: c.Seed, bound: bound);
            TestingEngine second = Explore.With(strategy, OrderViolation.Test(hops: 1), iterations: 200, seed: c.Seed, bound: bound);

            Assert.NotNull(first.TestReport.Bug);
            Assert.Equal(first.TestReport.BugIteration, second.TestReport.BugIteration);
            Assert.Equal(first.ReproducibleTrace, second.ReproducibleTrace);
            Assert.Equal(first.ReadableTrace, second.ReadableTrace);
            Assert.Equal(first.TestReport.TotalDecisions, second.TestReport.TotalDecisions);
            return true;
        }, maxTest: 30);
    }

    [Fact]
    public void SeedsOneAndTwo_GiveDifferentSchedules_ForTheRandomStrategy()
    {
        // Every run of this model ends with a hot monitor, so iteration 0 of each seed is a bug
        // trace holding its whole schedule: three workers of five steps each, 756,756 schedules.
        TestingEngine one = Explore.With("random", ThreeBusyWorkers, iterations: 1, seed: 1);
        TestingEngine two = Explore.With("random", ThreeBusyWorkers, iterations: 1, seed: 2);

        Assert.Equal(0, one.TestReport.BugIteration);
        Assert.Equal(0, two.TestReport.BugIteration);
        Assert.Equal(15, one.BugTrace!.Decisions.Count);
        Assert.NotEqual(Schedule(one), Schedule(two));
    }

    [Theory]
    [InlineData("random", 0)]
    [InlineData("probabilistic", 1)]
    [InlineData("prioritization", 2)]
    [InlineData("delay-bounding", 2)]
    public void ConsecutiveIterations_OfOneSeed_RunDifferentSchedules(string strategy, int bound)
    {
        // Iteration k's seed is a hash of (seed, k): five iterations of one seed, asked to schedule
        // four always-enabled operations for 30 steps, give five different schedules.
        IStrategy s = StrategyFactory.Create(strategy, bound, seed: 1, lengthHint: 30, fairPrefix: 0);
        int[] enabled = [1, 2, 3, 4];
        var schedules = new HashSet<string>();
        for (int k = 0; k < 5; k++)
        {
            s.PrepareIteration(k);
            int current = 0;
            var picks = new List<int>();
            for (int step = 0; step < 30; step++)
            {
                current = enabled[s.PickOperation(enabled, current)];
                picks.Add(current);
            }

            schedules.Add(string.Join(",", picks));
        }

        Assert.Equal(5, schedules.Count);
    }

    /// <summary>Seeds are chosen so the bug needs several iterations (checked below), so workers race for it.</summary>
    [Theory]
    [InlineData("random", 0, 1UL, 2)]
    [InlineData("random", 0, 1UL, 4)]
    [InlineData("prioritization", 1, 1UL, 2)]
    [InlineData("probabilistic", 0, 7UL, 3)]
    [InlineData("fair-delay-bounding", 1, 2UL, 2)]
    public void Parallelism_FindsTheSameBugInTheSameIteration_WithTheSameTrace(string strategy, int bound, ulong seed, int workers)
    {
        TestingEngine sequential = Explore.With(strategy, OrderViolation.Test(hops: 2), iterations: 500, seed: seed, bound: bound);
        TestReport expected = sequential.TestReport;
        Assert.True(expected.BugIteration >= 3, $"the bug should need several iterations, not {expected.BugIteration}");

        // Threads race differently every time; repeat to give a race a chance to show.
        for (int attempt = 0; attempt < 5; attempt++)
        {
            TestingEngine parallel = Explore.With(strategy, OrderViolation.Test(hops: 2), iterations: 500, seed: seed, bound: bound, workers: workers);
            TestReport actual = parallel.TestReport;

            Assert.Equal(workers, actual.Workers);
            Assert.Equal(expected.BugIteration, actual.BugIteration);
            Assert.Equal(expected.Bug!.Summary, actual.Bug?.Summary);
            Assert.Equal(sequential.ReproducibleTrace, parallel.ReproducibleTrace);
            Assert.Equal(sequential.ReadableTrace, parallel.ReadableTrace);
            Assert.Equal(expected.Iterations, actual.Iterations);
            Assert.Equal(expected.TotalSteps, actual.TotalSteps);
            Assert.Equal(expected.TotalDecisions, actual.TotalDecisions);
        }
    }

    [Fact]
    public void Parallelism_WithoutABug_CountsEveryIterationOnce()
    {
        TestReport sequential = Explore.With("random", NoBugWorkers, iterations: 600, seed: 9).TestReport;
        TestReport parallel = Explore.With("random", NoBugWorkers, iterations: 600, seed: 9, workers: 3).TestReport;

        Assert.Null(parallel.Bug);
        Assert.Equal(600, parallel.Iterations);
        Assert.Equal(sequential.TotalSteps, parallel.TotalSteps);
        Assert.Equal(sequential.TotalDecisions, parallel.TotalDecisions);
        Assert.Equal(sequential.MinSteps, parallel.MinSteps);
        Assert.Equal(sequential.MaxSteps, parallel.MaxSteps);
    }

    private static string Schedule(TestingEngine engine) => string.Join(",", engine.BugTrace!.Decisions.Select(d => d.ToString()));

    private static void ThreeBusyWorkers(IActorRuntime runtime)
    {
        runtime.RegisterMonitor<NeverSatisfied>();
        for (int i = 0; i < 3; i++)
        {
            runtime.CreateActor(typeof(BusyWorker));
        }
    }

    private static void NoBugWorkers(IActorRuntime runtime)
    {
        for (int i = 0; i < 3; i++)
        {
            runtime.CreateActor(typeof(BusyWorker));
        }
    }

    private sealed class NeverSatisfied : Monitor
    {
        [Start]
        [Hot]
        private sealed class Waiting : State
        {
        }
    }

    /// <summary>Five steps: initialization, two deliveries of self-sends, two dequeues.</summary>
    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class BusyWorker : Actor
    {
        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            SendEvent(Id, new Ping());
            SendEvent(Id, new Ping());
            return Task.CompletedTask;
        }

        private void OnPing()
        {
        }
    }
}
