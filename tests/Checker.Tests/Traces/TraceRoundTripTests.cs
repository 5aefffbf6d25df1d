using Checker.Tests.Fixtures;
using Checker.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Verify.Actors;
using Verify.SystematicTesting;
using Verify.Traces;
using Xunit;

namespace Checker.Tests.Traces;

/// <summary>A bug trace survives the trip to text and back, and replays to the same bug.</summary>
public sealed class TraceRoundTripTests
{
    /// <summary>A seeded bug and the strategy that hunts it; the seed comes from FsCheck.</summary>
    public sealed record Hunt(string Model, Action<IActorRuntime> Test, string Strategy, int Bound, uint LivenessThreshold, ulong Seed)
    {
        public override string ToString() => $"{Model} by {Strategy} with seed {Seed}";
    }

    private static readonly Decision[] NoDecisions = [];

    private static readonly KeyValuePair<string, string>[] NoParameters = [];

    private static readonly (string Model, Action<IActorRuntime> Test, string Strategy, int Bound, uint Threshold)[] Models =
    [
        ("lost update", LostUpdate.Test, "random", 0, 0),
        ("ABBA deadlock", AbbaDeadlock.Test, "probabilistic", 0, 0),
        ("order violation", OrderViolation.Test(hops: 1), "prioritization", 2, 0),
        ("forgotten request", UnansweredRequest.Test(livelock: false), "portfolio", 0, 0),
        ("livelock", UnansweredRequest.Test(livelock: true), "fair-delay-bounding", 2, 50),
    ];

    private static Arbitrary<Hunt> Hunts =>
        Gen.Choose(0, Models.Length - 1)
            .Zip(ArbMap.Default.GeneratorFor<ulong>())
            .Select(p => new Hunt(Models[p.Item1].Model, Models[p.Item1].Test, Models[p.Item1].Strategy, Models[p.Item1].Bound, Models[p.Item1].Threshold, p.Item2))
            .ToArbitrary();

    [Fact]
    public void BugTrace_SurvivesWriteAndRead_AndReplaysToTheSameBug()
    {
        Properties.Check(Hunts, hunt =>
        {
            TestingEngine engine = Explore.With(hunt.Strategy, hunt.Test, iterations: 200, seed: hunt.Seed, bound: hunt.Bound, maxSteps: 200, livenessThreshold: hunt.LivenessThreshold);
            TestReport found = engine.TestReport;
            Assert.NotNull(found.Bug);
            Assert.Null(found.Error);

            string text = engine.ReproducibleTrace;
            Trace written = engine.BugTrace!;
            Trace read = TraceReader.Read(text);
            Assert.Equal(written with { Decisions = NoDecisions, Parameters = NoParameters }, read with { Decisions = NoDecisions, Parameters = NoParameters });
            Assert.Equal(written.Parameters, read.Parameters);

            // On disk a scheduling decision keeps the chosen id, not how many were enabled.
            Assert.Equal(written.Decisions.Select(OnDisk), read.Decisions);
            Assert.Equal(text, TraceWriter.Write(read));

            TestingEngine replay = Explore.Replay(hunt.Test, text);
            Assert.Null(replay.TestReport.Divergence);
            Assert.Null(replay.TestReport.Error);
            Assert.Equal(found.Bug!.Summary, replay.TestReport.Bug?.Summary);
            Assert.Equal(engine.ReadableTrace, replay.ReadableTrace);
            return true;
        }, maxTest: 40);
    }

    [Fact]
    public void BugTrace_NamesTheTestStrategyAndSettings_InItsHeader()
    {
        TestingEngine engine = Explore.With("random", LostUpdate.Test, iterations: 100, seed: 1, maxSteps: 300);
        Trace trace = TraceReader.Read(engine.ReproducibleTrace);

        Assert.Equal("test", trace.Test);
        Assert.StartsWith("random(seed=", trace.Strategy, StringComparison.Ordinal);
        Assert.Equal(engine.TestReport.BugIteration, trace.Iteration);
        Assert.Equal(1UL, trace.Seed);
        Assert.Equal(3000, trace.MaxSteps);
        Assert.True(trace.Fair);
        Assert.Equal("Assertion: " + LostUpdate.Message, trace.Bug);
    }

    [Fact]
    public void TryEmitReports_WritesATraceFileThatReplays()
    {
        TestingEngine engine = Explore.With("random", LostUpdate.Test, iterations: 100, seed: 1);
        string directory = Path.Combine(Path.GetTempPath(), "verify-checker-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            Assert.True(engine.TryEmitReports(directory, "lost-update", out IReadOnlyList<string> paths));
            Assert.Equal(
                [
                    Path.Combine(directory, "lost-update.trace"), Path.Combine(directory, "lost-update.txt"),
                    Path.Combine(directory, "lost-update.timeline.txt"), Path.Combine(directory, "lost-update.html"),
                ],
                paths);
            Assert.Equal(engine.ReproducibleTrace, File.ReadAllText(paths[0]));
            Assert.Equal(engine.ReadableTrace, File.ReadAllText(paths[1]));
            Assert.StartsWith("Timeline of test\nBug: Assertion: " + LostUpdate.Message, File.ReadAllText(paths[2]), StringComparison.Ordinal);
            Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(paths[3]), StringComparison.Ordinal);

            TestingEngine replay = Explore.Replay(LostUpdate.Test, File.ReadAllText(paths[0]));
            Assert.Equal(engine.TestReport.Bug!.Summary, replay.TestReport.Bug?.Summary);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void TryEmitReports_WithoutABug_WritesNothing()
    {
        TestingEngine engine = Explore.Once(r => r.CreateActor(typeof(Idle)));

        Assert.False(engine.TryEmitReports(Path.GetTempPath(), "nothing", out IReadOnlyList<string> paths));
        Assert.Empty(paths);
        Assert.Equal(string.Empty, engine.ReproducibleTrace);
    }

    private static Decision OnDisk(Decision d) => d.Kind == DecisionKind.Schedule ? d with { Bound = 0 } : d;

    private sealed class Idle : Actor
    {
    }
}
