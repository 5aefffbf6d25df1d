using Checker.Tests.Fixtures;
using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.SystematicTesting;

public sealed class TestingEngineTests
{
    [Fact]
    public void ThrowIfBugFound_ThrowsWithTheBugSummary()
    {
        TestingEngine engine = Explore.With("random", LostUpdate.Test, iterations: 100, seed: 1);

        var ex = Assert.Throws<AssertionFailureException>(engine.ThrowIfBugFound);
        Assert.Equal("Assertion: " + LostUpdate.Message, ex.Message);
        Assert.Equal(1, engine.TestReport.NumOfFoundBugs);
        Assert.Equal([LostUpdate.Message], engine.TestReport.BugReports);
    }

    [Fact]
    public void ThrowIfBugFound_WithoutABug_DoesNothing()
    {
        TestingEngine engine = Explore.Once(r => r.CreateActor(typeof(EndlessPinger)));

        engine.ThrowIfBugFound();
        Assert.Equal(0, engine.TestReport.NumOfFoundBugs);
    }

    [Fact]
    public void OnFailure_IsCalledWithTheBug()
    {
        var failures = new List<string>();
        var engine = TestingEngine.Create(Configuration.Create().WithRandomStrategy().WithRandomGeneratorSeed(1), r =>
        {
            r.OnFailure += ex => failures.Add(ex.Message);
            r.Assert(false, "the {0} broke", "widget");
        });
        engine.Run();

        // Once in the exploring run, once in the replay that builds the readable trace.
        Assert.Equal(["the widget broke", "the widget broke"], failures);
    }

    [Fact]
    public void FailOnMaxSteps_MakesTheStepBoundABug()
    {
        Configuration config = Configuration.Create()
            .WithPrioritizationStrategy(isFair: false, priorityChangeBound: 1)
            .WithRandomGeneratorSeed(1)
            .WithMaxSchedulingSteps(50)
            .WithFailureOnMaxStepsBoundEnabled();
        Action<IActorRuntime> test = r => r.CreateActor(typeof(EndlessPinger));
        var engine = TestingEngine.Create(config, test);
        engine.Run();

        Assert.Equal(BugKind.MaxSteps, engine.TestReport.Bug?.Kind);
        Assert.Equal(
            "Step bound 50 reached. A handler looping without a scheduling point usually causes this: add a send or receive inside the loop, or raise --max-steps.",
            engine.TestReport.Bug!.Message);

        // The trace carries the bound and the flag, so its replay stops at the same step with the same bug.
        TestingEngine replay = Explore.Replay(test, engine.ReproducibleTrace);
        Assert.Null(replay.TestReport.Divergence);
        Assert.Equal(engine.TestReport.Bug.Summary, replay.TestReport.Bug?.Summary);
    }

    [Fact]
    public void StepBound_WithoutFailOnMaxSteps_EndsTheRunQuietly()
    {
        TestReport report = Explore.With("prioritization", r => r.CreateActor(typeof(EndlessPinger)), iterations: 3, maxSteps: 50).TestReport;

        Assert.Null(report.Bug);
        Assert.Equal(3, report.StepBoundHits);
        Assert.Equal(50, report.MaxSteps);
        Assert.Contains("Step bound    hit in 3 of 3 runs\n", report.Summary(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("prioritization", 30)]
    [InlineData("delay-bounding", 30)]
    [InlineData("random", 300)]
    [InlineData("fair-prioritization", 300)]
    public void MaxSchedulingSteps_BoundsUnfairRunsAtN_AndFairRunsAtTenN(string strategy, int expected)
    {
        TestReport report = Explore.With(strategy, r => r.CreateActor(typeof(EndlessPinger)), iterations: 1, maxSteps: 30).TestReport;

        Assert.Equal(expected, report.MaxSteps);
        Assert.Equal(30, report.MaxUnfairSteps);
        Assert.Equal(300, report.MaxFairSteps);
    }

    [Fact]
    public void ExceptionInTheTestBody_IsAnExceptionBug()
    {
        TestReport report = Explore.Once(_ => throw new InvalidOperationException("no fixture")).TestReport;

        Assert.Equal(BugKind.Exception, report.Bug?.Kind);
        Assert.Equal("The test method threw InvalidOperationException: no fixture", report.Bug!.Message);
    }

    [Fact]
    public void AsyncTestBody_ThatCompletes_Runs()
    {
        var engine = TestingEngine.Create(Configuration.Create().WithRandomGeneratorSeed(1).WithMaxSchedulingSteps(100), r =>
        {
            r.CreateActor(typeof(EndlessPinger));
            return Task.CompletedTask;
        });
        engine.Run();

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(1, engine.TestReport.Iterations);
    }

    [Fact]
    public void AsyncTestBody_ThatAwaitsATask_IsAnUncontrolledAwaitBug()
    {
        var engine = TestingEngine.Create(Configuration.Create().WithRandomGeneratorSeed(1), async (IActorRuntime r) =>
        {
            await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan);
        });
        engine.Run();

        Assert.Equal(BugKind.UncontrolledAwait, engine.TestReport.Bug?.Kind);
        Assert.Equal("The test method awaited a task that the engine does not control; it must create actors and return.", engine.TestReport.Bug!.Message);
    }

    [Fact]
    public void IterationDispose_RunsAfterEveryRunOfTheTestBody()
    {
        // The default portfolio learns PCT's schedule length from iteration 0 itself: one body per iteration.
        int bodies = 0;
        int disposed = 0;
        var engine = TestingEngine.Create(
            Configuration.Create().WithRandomGeneratorSeed(1).WithTestingIterations(7).WithMaxSchedulingSteps(100),
            r =>
            {
                Assert.Equal(bodies, disposed);
                bodies++;
                r.CreateActor(typeof(EndlessPinger));
            });
        engine.IterationDispose = () => disposed++;
        engine.Run();

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(7, engine.TestReport.Iterations);
        Assert.Equal(7, bodies);
        Assert.Equal(bodies, disposed);
    }

    [Fact]
    public void Summary_SaysWhereTheBugWasFound_AndWhetherLivenessWasChecked()
    {
        TestingEngine engine = Explore.With("random", LostUpdate.Test, iterations: 100, seed: 1);
        TestReport report = engine.TestReport;
        string summary = report.Summary();

        Assert.Contains($"Bug           found in iteration {report.BugIteration} at step {report.Bug!.Step} ({report.BugStrategy})\n", summary, StringComparison.Ordinal);
        Assert.Contains("              Assertion: " + LostUpdate.Message + "\n", summary, StringComparison.Ordinal);
        Assert.Contains("Liveness      not checked: no registered monitor has a hot state\n", summary, StringComparison.Ordinal);
        Assert.Contains("Strategy      random, seed 1\n", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadableTrace_TellsTheStoryOfTheBug_InTheModelsTerms()
    {
        TestingEngine engine = Explore.With("random", LostUpdate.Test, iterations: 100, seed: 1);
        string[] lines = engine.ReadableTrace.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("[    0] test creates CounterHolder(1)", lines[0]);
        Assert.Contains(lines, l => l.EndsWith("] Incrementer(2) sends ReadRequest to CounterHolder(1)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("] CounterHolder(1) dequeues WriteRequest from Incrementer(3)", StringComparison.Ordinal));
        Assert.EndsWith("BUG Assertion: " + LostUpdate.Message, lines[^1], StringComparison.Ordinal);
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
