using Checker.Tests.Fixtures;
using Checker.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Verify.Actors;
using Verify.SystematicTesting;
using Verify.Traces;
using Xunit;

namespace Checker.Tests.Traces;

/// <summary>
/// A replay checks every decision and stops at the first mismatch, naming its step. The
/// hand-written traces drive two workers of two steps each (initialization, then the Ping the
/// test sent), operations 1 and 2; "sched 1, sched 2, sched 2, sched 1" is one of its six schedules.
/// </summary>
public sealed class ReplayDivergenceTests
{
    private const string Header = "# verify-trace 1\n# test TwoWorkers\n";

    [Fact]
    public void Replay_OfAValidTraceWithoutABug_RunsToTheEnd()
    {
        TestReport report = Replay(TwoWorkers, Trace("sched 1", "sched 2", "sched 2", "sched 1"));

        Assert.Null(report.Divergence);
        Assert.Null(report.Bug);
        Assert.Equal(4, report.TotalSteps);
    }

    [Fact]
    public void Replay_StopsAtFirstDivergentStep_WhenTheTraceSchedulesAnUnknownOperation()
    {
        TestReport report = Replay(TwoWorkers, Trace("sched 1", "sched 2", "sched 7", "sched 1"));

        Assert.Equal(
            "Trace diverged at step 3: it schedules operation 7, but the enabled operations are [1, 2]. "
            + "The model changed since the trace was recorded; run `verify test` for a fresh trace.",
            report.Divergence);
        Assert.Null(report.Bug);
    }

    [Fact]
    public void Replay_StopsAtFirstDivergentStep_WhenTheTraceSchedulesAFinishedActor()
    {
        // After "sched 1, sched 1" worker 1 has run both its steps; only worker 2 is enabled.
        TestReport report = Replay(TwoWorkers, Trace("sched 1", "sched 1", "sched 1", "sched 2"));

        Assert.StartsWith("Trace diverged at step 3: it schedules operation 1, but the enabled operations are [2].", report.Divergence, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_OfATruncatedTrace_DivergesAtTheFirstMissingDecision()
    {
        TestReport report = Replay(TwoWorkers, Trace("sched 2", "sched 1"));

        Assert.Equal(
            "Trace diverged at step 3: the trace ends after 2 decisions but the model asks for a scheduling decision; "
            + "the trace is truncated or the model changed.",
            report.Divergence);
    }

    [Fact]
    public void Replay_OfATraceWithDecisionsLeftOver_Diverges()
    {
        TestReport report = Replay(TwoWorkers, Trace("sched 1", "sched 2", "sched 2", "sched 1", "sched 1"));

        Assert.Equal("Trace diverged at step 5: the run ended (no operation was enabled) but the trace has 1 more decisions.", report.Divergence);
    }

    [Fact]
    public void Replay_OfADecisionOfTheWrongKind_Diverges()
    {
        TestReport report = Replay(TwoWorkers, Trace("bool 1", "sched 2", "sched 2", "sched 1"));

        Assert.Equal(
            "Trace diverged at step 1: the trace has 'bool 1' but the model asks for a scheduling decision. The model changed since the trace was recorded.",
            report.Divergence);
    }

    [Fact]
    public void Replay_AgainstAChangedModel_DivergesWhereTheModelDiffers()
    {
        // The model lost its second worker: the trace's first "sched 2" (step 2) has nothing to run.
        TestReport report = Replay(OneWorker, Trace("sched 1", "sched 2", "sched 2", "sched 1"));

        Assert.StartsWith("Trace diverged at step 2: it schedules operation 2, but the enabled operations are [1].", report.Divergence, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_ThatDoesNotReproduceTheRecordedBug_Diverges()
    {
        string trace = Header + "# bug Assertion: a worker got lost\n" + string.Join('\n', "sched 1", "sched 2", "sched 2", "sched 1") + "\n";

        TestReport report = Replay(TwoWorkers, trace);

        Assert.Equal(
            "Trace diverged at step 4: the replay used every decision without reproducing the recorded bug (Assertion: a worker got lost).",
            report.Divergence);
        Assert.Null(report.Bug);
    }

    [Fact]
    public void Replay_ThatFindsAnotherBug_Diverges()
    {
        TestingEngine engine = Explore.With("random", LostUpdate.Test, iterations: 100, seed: 1);
        int decisions = engine.BugTrace!.Decisions.Count;
        string edited = engine.ReproducibleTrace.Replace("# bug ", "# bug Assertion: something else happened; was ", StringComparison.Ordinal);
        string recorded = TraceReader.Read(edited).Bug!;

        TestReport report = Replay(LostUpdate.Test, edited);

        Assert.Equal(
            $"Trace diverged at step {decisions}: the replay found a different bug: Assertion: {LostUpdate.Message}; the trace records: {recorded}.",
            report.Divergence);
    }

    [Fact]
    public void Replay_OfAnEngineTrace_WithAnyScheduleEditedToAnUnknownOperation_DivergesAtExactlyThatStep()
    {
        // For every scheduling decision k of a real bug trace, replacing it with "sched 99" makes the
        // replay diverge at step k: decisions before k still match the model, so it gets that far.
        TestingEngine engine = Explore.With("random", AbbaDeadlock.Test, iterations: 100, seed: 3);
        Trace trace = engine.BugTrace!;
        int[] schedules = Enumerable.Range(0, trace.Decisions.Count).Where(i => trace.Decisions[i].Kind == DecisionKind.Schedule).ToArray();

        Properties.Check(Gen.Elements(schedules).ToArbitrary(), index =>
        {
            Decision[] edited = [.. trace.Decisions];
            edited[index] = new Decision(DecisionKind.Schedule, 99, 0);
            TestReport report = Replay(AbbaDeadlock.Test, TraceWriter.Write(trace with { Decisions = edited }));
            Assert.StartsWith($"Trace diverged at step {index + 1}: it schedules operation 99, but the enabled operations are [", report.Divergence, StringComparison.Ordinal);
            return true;
        }, maxTest: 30);
    }

    [Fact]
    public void Replay_OfAnEngineTrace_TruncatedAnywhere_DivergesAtTheFirstMissingDecision()
    {
        // Keeping the first m decisions (and fixing the count header so the file parses) replays the
        // recorded path for m steps and then asks for decision m + 1.
        TestingEngine engine = Explore.With("random", LostUpdate.Test, iterations: 100, seed: 5);
        Trace trace = engine.BugTrace!;

        Properties.Check(Gen.Choose(0, trace.Decisions.Count - 1).ToArbitrary(), kept =>
        {
            TestReport report = Replay(LostUpdate.Test, TraceWriter.Write(trace with { Decisions = trace.Decisions.Take(kept).ToArray() }));
            Assert.StartsWith($"Trace diverged at step {kept + 1}: the trace ends after {kept} decisions but the model asks for ", report.Divergence, StringComparison.Ordinal);
            Assert.Null(report.Bug);
            return true;
        }, maxTest: 30);
    }

    private static void TwoWorkers(IActorRuntime runtime)
    {
        for (int i = 0; i < 2; i++)
        {
            ActorId id = runtime.CreateActor(typeof(Worker));
            runtime.SendEvent(id, new Ping());
        }
    }

    private static void OneWorker(IActorRuntime runtime) => runtime.SendEvent(runtime.CreateActor(typeof(Worker)), new Ping());

    private static string Trace(params string[] decisions) =>
        Header + $"# decisions {decisions.Length}\n" + string.Join('\n', decisions) + "\n";

    private static TestReport Replay(Action<IActorRuntime> test, string trace) => Explore.Replay(test, trace).TestReport;

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class Worker : Actor
    {
        private void OnPing()
        {
        }
    }
}
