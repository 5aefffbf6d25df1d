using Samples.PingPong;
using Verify;
using Verify.SystematicTesting;
using Xunit;

namespace Samples.Tests;

public class PingPongTests
{
    private const uint Iterations = 200;

    // Steps of one complete run: per client, start + connect sent + connect dequeued + connected
    // sent + connected dequeued (5) and disconnect sent + dequeued (2); per round trip, ping sent +
    // dequeued + pong sent + dequeued (4, three rounds per client); plus the server's start.
    // 2 * (5 + 2) + 2 * 3 * 4 + 1 = 39. A run that stopped early would be shorter.
    private const int StepsOfACompleteRun = 39;

    private const int RoundTripsPerRun = PingPongSample.Clients * PingPongSample.RoundTripsPerClient;

    [Fact]
    public void PingPong_HasNoBug_InTwoHundredPortfolioIterations()
    {
        PingPongSample.ResetCounters();
        Configuration configuration = Configuration.Create().WithTestingIterations(Iterations).WithRandomGeneratorSeed(7);

        TestReport report = SampleRuns.Explore(configuration, PingPongSample.Execute).TestReport;

        Assert.True(report.Bug is null, report.Summary());
        Assert.Equal((int)Iterations, report.Iterations);
        AssertEveryRunCompleted(report);
        Assert.True(report.HasLivenessMonitors);
    }

    [Fact]
    public void PingPong_HasNoBug_UnderPrioritization()
    {
        PingPongSample.ResetCounters();
        Configuration configuration = Configuration.Create()
            .WithTestingIterations(Iterations).WithRandomGeneratorSeed(42).WithPrioritizationStrategy(false, 3);

        TestReport report = SampleRuns.Explore(configuration, PingPongSample.Execute).TestReport;

        Assert.True(report.Bug is null, report.Summary());
        AssertEveryRunCompleted(report);
    }

    /// <summary>
    /// Reachability: every run made all its round trips and terminated, so the liveness monitor was
    /// judged at the end of each run rather than cut short by the step bound.
    /// </summary>
    private static void AssertEveryRunCompleted(TestReport report)
    {
        Assert.Equal((int)Iterations, report.TerminatedRuns);
        Assert.Equal(0, report.StepBoundHits);
        Assert.Equal(StepsOfACompleteRun, report.MinSteps);
        Assert.Equal(StepsOfACompleteRun, report.MaxSteps);
        Assert.Equal(Iterations * StepsOfACompleteRun, report.TotalSteps);

        // The counter also sees the engine's calibration run (prioritization and the portfolio
        // run one to size their change points), so it holds whole runs, at least one per iteration.
        long roundTrips = PingPongSample.CompletedRoundTrips;
        Assert.True(roundTrips >= Iterations * RoundTripsPerRun, $"only {roundTrips} round trips in {Iterations} iterations");
        Assert.Equal(0, roundTrips % RoundTripsPerRun);
    }
}
