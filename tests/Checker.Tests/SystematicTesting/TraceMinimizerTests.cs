using Checker.Tests.Fixtures;
using Checker.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Verify.Traces;
using Xunit;

namespace Checker.Tests.SystematicTesting;

/// <summary>`verify minimize`: a shorter trace, fewer context switches, the same bug, and a strict replay of the result.</summary>
public sealed class TraceMinimizerTests
{
    private static (TestingEngine Engine, MinimizeResult Result) Minimize(Action<IActorRuntime> test, Trace trace, int budget = 2_000)
    {
        TestingEngine engine = TestingEngine.Create(Configuration.Create(), test);
        MinimizeResult? result = engine.Minimize(trace, budget);
        Assert.NotNull(result);
        return (engine, result);
    }

    private static void ReplaysStrictly(Action<IActorRuntime> test, Trace minimized)
    {
        TestingEngine replay = Explore.Replay(test, TraceWriter.Write(minimized));
        Assert.Null(replay.TestReport.Divergence);
        Assert.Null(replay.TestReport.Error);
        Assert.Equal(minimized.Bug, replay.TestReport.Bug?.Summary);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Minimize_OrderViolation_LeavesOnlyTheUserAndTheConsumer(int hops)
    {
        // The bug needs only the user and the consumer: the user starts, relays its Use through
        // `hops` events to itself (a delivery and a dequeue each) and delivers it (2 * hops + 2
        // steps); the consumer starts and dequeues Use (2 steps). One switch, user to consumer.
        Action<IActorRuntime> test = OrderViolation.Test(hops);
        TestingEngine found = Explore.With("random", test, iterations: 500, seed: 5);
        Trace trace = found.BugTrace!;
        (TestingEngine engine, MinimizeResult result) = Minimize(test, trace);

        Assert.Equal((2 * hops) + 4, result.After.Steps);
        Assert.Equal(1, result.After.ContextSwitches);
        Assert.True(result.After.IsSmallerThan(result.Before) || result.After == result.Before);
        Assert.Equal("Assertion: " + OrderViolation.Message, engine.TestReport.Bug?.Summary);
        Assert.DoesNotContain("Initializer(2) starts", engine.ReadableTrace, StringComparison.Ordinal);
        ReplaysStrictly(test, result.Minimized);
    }

    [Fact]
    public void Minimize_Deadlock_KeepsTheBug_ThoughItsStepNumberChanges()
    {
        TestingEngine found = Explore.With("random", AbbaDeadlock.Test, iterations: 500, seed: 3);
        Trace trace = found.BugTrace!;
        Assert.StartsWith("Deadlock: Deadlock at step ", trace.Bug);
        (_, MinimizeResult result) = Minimize(AbbaDeadlock.Test, trace);

        Assert.StartsWith("Deadlock: Deadlock at step ", result.Minimized.Bug);
        Assert.Equal(TraceMinimizer.SameBugKey(trace.Bug!), TraceMinimizer.SameBugKey(result.Minimized.Bug!));
        Assert.False(result.Before.IsSmallerThan(result.After));
        ReplaysStrictly(AbbaDeadlock.Test, result.Minimized);
    }

    [Fact]
    public void Minimize_IsDeterministic_AndWritesAStrictTraceWithTheOriginalHeader()
    {
        Action<IActorRuntime> test = OrderViolation.Test(2);
        Trace trace = Explore.With("random", test, iterations: 500, seed: 9).BugTrace!;
        Trace a = Minimize(test, trace).Result.Minimized;
        Trace b = Minimize(test, trace).Result.Minimized;

        Assert.Equal(TraceWriter.Write(a), TraceWriter.Write(b));
        Assert.Equal(trace.Test, a.Test);
        Assert.Equal(trace.Seed, a.Seed);
        Assert.Equal(trace.Iteration, a.Iteration);
        Assert.Equal(trace.MaxSteps, a.MaxSteps);
        Assert.Equal("minimized " + trace.Strategy, a.Strategy);
    }

    [Fact]
    public void Minimize_StopsAtTheBudget_AndStillReturnsAReplayableTrace()
    {
        Action<IActorRuntime> test = OrderViolation.Test(3);
        Trace trace = Explore.With("random", test, iterations: 500, seed: 5).BugTrace!;
        (_, MinimizeResult result) = Minimize(test, trace, budget: 5);

        Assert.Equal(5, result.Replays);
        Assert.True(result.BudgetExhausted);
        ReplaysStrictly(test, result.Minimized);
    }

    [Fact]
    public void SameBugKey_MasksStepNumbers_Only()
    {
        Assert.Equal(
            TraceMinimizer.SameBugKey("Liveness: Monitor M detected a liveness bug: in hot state H at the end of the run (terminated at step 57)."),
            TraceMinimizer.SameBugKey("Liveness: Monitor M detected a liveness bug: in hot state H at the end of the run (terminated at step 9)."));
        Assert.NotEqual(TraceMinimizer.SameBugKey("Assertion: saw 2"), TraceMinimizer.SameBugKey("Assertion: saw 3"));
        Assert.NotEqual(TraceMinimizer.SameBugKey("Assertion: x"), TraceMinimizer.SameBugKey("Exception: x"));
    }

    public sealed record Case(string Model, Action<IActorRuntime> Test, string Strategy, uint Threshold, ulong Seed)
    {
        public override string ToString() => $"{Model} by {Strategy} with seed {Seed}";
    }

    private static readonly (string Model, Action<IActorRuntime> Test, string Strategy, uint Threshold)[] Models =
    [
        ("lost update", LostUpdate.Test, "random", 0),
        ("ABBA deadlock", AbbaDeadlock.Test, "probabilistic", 0),
        ("order violation", OrderViolation.Test(hops: 2), "prioritization", 0),
        ("forgotten request", UnansweredRequest.Test(livelock: false), "random", 0),
        ("livelock", UnansweredRequest.Test(livelock: true), "fair-delay-bounding", 40),
    ];

    [Fact]
    public void MinimizedTrace_IsNeverLarger_AndReplaysStrictlyToTheSameBug()
    {
        Arbitrary<Case> cases = Gen.Choose(0, Models.Length - 1)
            .Zip(ArbMap.Default.GeneratorFor<ulong>())
            .Select(p => new Case(Models[p.Item1].Model, Models[p.Item1].Test, Models[p.Item1].Strategy, Models[p.Item1].Threshold, p.Item2))
            .ToArbitrary();
        Properties.Check(cases, c =>
        {
            TestingEngine found = Explore.With(c.Strategy, c.Test, iterations: 300, seed: c.Seed, maxSteps: 200, livenessThreshold: c.Threshold);
            Trace trace = found.BugTrace!;
            (_, MinimizeResult result) = Minimize(c.Test, trace, budget: 300);
            Assert.False(result.Before.IsSmallerThan(result.After));
            Assert.Equal(TraceMinimizer.SameBugKey(trace.Bug!), TraceMinimizer.SameBugKey(result.Minimized.Bug!));
            ReplaysStrictly(c.Test, result.Minimized);
            return true;
        }, maxTest: 25);
    }
}
