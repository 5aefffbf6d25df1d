using Samples.DiningPhilosophers;
using Verify;
using Verify.SystematicTesting;
using Xunit;

namespace Samples.Tests;

public class DiningPhilosophersTests
{
    private const int MealsPerRun = DiningPhilosophersSample.Philosophers * DiningPhilosophersSample.MealsEach;

    private static Configuration Prioritization(uint iterations) => Configuration.Create()
        .WithTestingIterations(iterations).WithRandomGeneratorSeed(42).WithPrioritizationStrategy(false, 3);

    [Fact]
    public void DiningPhilosophers_FindsDeadlock_WithPrioritization()
    {
        TestingEngine engine = SampleRuns.FindBug(Prioritization(1000), DiningPhilosophersSample.Execute, BugKind.Deadlock);

        string message = engine.TestReport.Bug.Message;
        Assert.Contains("no operation is enabled", message);
        Assert.Contains("for ForkGrantedEvent", message);

        // Every philosopher holds one fork and waits for the other. The forks are created first,
        // so the philosophers' ids follow theirs.
        for (int i = 0; i < DiningPhilosophersSample.Philosophers; i++)
        {
            Assert.Contains($"Philosopher({DiningPhilosophersSample.Philosophers + 1 + i})", message);
        }
    }

    [Fact]
    public void DiningPhilosophers_ReplaysItsBugTrace_ToTheSameDeadlock()
    {
        TestingEngine engine = SampleRuns.FindBug(Prioritization(1000), DiningPhilosophersSample.Execute, BugKind.Deadlock);

        TestReport replay = SampleRuns.ReplayBug(engine, DiningPhilosophersSample.Execute);

        Assert.Equal(BugKind.Deadlock, replay.Bug.Kind);
    }

    [Fact]
    public void DiningPhilosophers_WithOrderedForks_HasNoDeadlock()
    {
        DiningPhilosophersSample.ResetCounters();
        const uint iterations = 500;

        TestReport report = SampleRuns.Explore(Prioritization(iterations), DiningPhilosophersSample.ExecuteWithOrderedForks).TestReport;

        Assert.True(report.Bug is null, report.Summary());
        Assert.Equal((int)iterations, report.TerminatedRuns);

        // Reachability: every run served every meal (the counter also sees the engine's calibration run).
        long meals = DiningPhilosophersSample.MealsEaten;
        Assert.True(meals >= iterations * MealsPerRun, $"only {meals} meals in {iterations} iterations");
        Assert.Equal(0, meals % MealsPerRun);
    }
}
