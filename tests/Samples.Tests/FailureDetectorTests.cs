using Samples.FailureDetection;
using Verify;
using Verify.SystematicTesting;
using Xunit;

namespace Samples.Tests;

public class FailureDetectorTests
{
    private const uint TemperatureThreshold = 1000;

    // The unfair prefix of each fair run is 200 prioritized steps, then scheduling is uniformly
    // random up to 3000 steps: long enough for a monitor to stay hot past the threshold, short
    // enough that a bug-free run costs about a millisecond.
    private static Configuration FairPrioritization() => Configuration.Create()
        .WithTestingIterations(1000)
        .WithRandomGeneratorSeed(42)
        .WithPrioritizationStrategy(true, 3)
        .WithMaxSchedulingSteps(200, 3000)
        .WithLivenessTemperatureThreshold(TemperatureThreshold);

    [Fact]
    public void FailureDetector_FindsLivenessBug_WithFairPrioritization()
    {
        FailureDetectorSample.ResetCounters();

        TestingEngine engine = SampleRuns.FindBug(FairPrioritization(), FailureDetectorSample.Execute, BugKind.Liveness);

        Assert.StartsWith(
            $"Monitor DetectionMonitor detected a potential liveness bug: stayed in hot state Undetected for more than {TemperatureThreshold} steps of a fair run",
            engine.TestReport.Bug.Message);

        // The interleaving the header describes: a registration was dropped while draining the timeout.
        Assert.Contains("in DrainTimeout ignores RegisterNodeEvent", engine.ReadableTrace);

        // Reachability: the runs explored before the bug did detect crashed nodes, so the
        // monitor is not hot merely because detection never works.
        Assert.True(FailureDetectorSample.FailuresReported > 0, "no crashed node was ever reported");
    }

    [Fact]
    public void FailureDetector_ReplaysItsBugTrace_ToTheSameLivenessBug()
    {
        TestingEngine engine = SampleRuns.FindBug(FairPrioritization(), FailureDetectorSample.Execute, BugKind.Liveness);

        TestReport replay = SampleRuns.ReplayBug(engine, FailureDetectorSample.Execute);

        Assert.Equal(BugKind.Liveness, replay.Bug.Kind);
    }

    [Fact]
    public void FailureDetector_EscapesUnfairPrioritization_BecauseRunsNeverTerminate()
    {
        // The detector runs forever, so an unfair run ends at the step bound, where liveness cannot
        // be judged: only fair runs (or a terminating model) can show this bug.
        Configuration configuration = Configuration.Create()
            .WithTestingIterations(50).WithRandomGeneratorSeed(42).WithPrioritizationStrategy(false, 3).WithMaxSchedulingSteps(3000);

        TestReport report = SampleRuns.Explore(configuration, FailureDetectorSample.Execute).TestReport;

        Assert.True(report.Bug is null, report.Summary());
        Assert.Equal(50, report.StepBoundHits);
        Assert.Equal(0, report.NumOfExploredFairPaths);
    }
}
