using Checker.Tests.Fixtures;
using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.Specifications;

/// <summary>In a fair run a monitor may be hot for at most the temperature threshold in a row.</summary>
public sealed class LivenessTemperatureTests
{
    [Fact]
    public void MonitorThatKeepsCoolingDown_IsNotALivenessBug_InAnEndlessFairRun()
    {
        // Requests are opened and answered forever: the monitor is hot often but never for long, so
        // every fair run reaches the step bound without a bug. The temperature must reset on each answer.
        TestReport report = Explore.With("random", EndlessRequests, iterations: 10, maxSteps: 100, livenessThreshold: 20).TestReport;

        Assert.Null(report.Bug);
        Assert.Equal(10, report.StepBoundHits);
        Assert.Equal(10, report.NumOfExploredFairPaths);
        Assert.Equal("checked by temperature (threshold 20 steps) in 10 fair runs", report.LivenessSummary);
    }

    [Fact]
    public void LivenessByTemperature_ReportsTheStepItWasFoundAt()
    {
        // The livelocked server leaves the monitor hot; with threshold 50 the bug fires on the 51st
        // step the monitor spends hot.
        TestingEngine engine = Explore.With("random", UnansweredRequest.Test(livelock: true), iterations: 50, seed: 1, maxSteps: 200, livenessThreshold: 50);
        BugReport bug = engine.TestReport.Bug!;

        Assert.Equal(BugKind.Liveness, bug.Kind);
        Assert.Equal($"Monitor ResponseLiveness detected a potential liveness bug: stayed in hot state Waiting for more than 50 steps of a fair run (step {bug.Step}).", bug.Message);
        Assert.Contains("monitor ResponseLiveness: Idle -> Waiting (hot)", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultThreshold_IsHalfTheFairStepBound()
    {
        TestReport report = Explore.With("random", UnansweredRequest.Test(livelock: true), iterations: 20, seed: 1, maxSteps: 100).TestReport;

        Assert.Equal(500, report.LivenessThreshold);
        Assert.Equal(BugKind.Liveness, report.Bug?.Kind);
        Assert.StartsWith("Monitor ResponseLiveness detected a potential liveness bug: stayed in hot state Waiting for more than 500 steps", report.Bug!.Message, StringComparison.Ordinal);
    }

    private static void EndlessRequests(IActorRuntime runtime)
    {
        runtime.RegisterMonitor<UnansweredRequest.ResponseLiveness>();
        ActorId server = runtime.CreateActor(typeof(FaithfulServer));
        runtime.CreateActor(typeof(InsistentClient), new Target(server));
    }

    private sealed class Target(ActorId server) : Event
    {
        public ActorId Server { get; } = server;
    }

    private sealed class Request(ActorId client) : Event
    {
        public ActorId Client { get; } = client;
    }

    private sealed class Answer : Event
    {
    }

    [OnEventDoAction(typeof(Request), nameof(OnRequest))]
    private sealed class FaithfulServer : Actor
    {
        private void OnRequest(Event e)
        {
            Monitor<UnansweredRequest.ResponseLiveness>(new UnansweredRequest.RequestAnswered());
            SendEvent(((Request)e).Client, new Answer());
        }
    }

    [OnEventDoAction(typeof(Answer), nameof(OnAnswer))]
    private sealed class InsistentClient : Actor
    {
        private ActorId server = null!;

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            server = ((Target)initialEvent!).Server;
            Ask();
            return Task.CompletedTask;
        }

        private void OnAnswer() => Ask();

        private void Ask()
        {
            Monitor<UnansweredRequest.ResponseLiveness>(new UnansweredRequest.RequestOpened());
            SendEvent(server, new Request(Id));
        }
    }
}
