using Checker.Tests.Support;
using Verify;
using Verify.SystematicTesting;
using Verify.Traces;
using Xunit;
using static Checker.Tests.StateSpace.LivenessModels;

namespace Checker.Tests.StateSpace;

/// <summary>
/// Liveness as cycles in exhaustive mode: a fair lasso (a reachable loop on which a monitor stays hot
/// and every actor enabled on it runs on it) is reported as a trace with a stem and a loop, which
/// replays; unfair loops and models where every fair run cools the monitor are exhausted clean.
/// </summary>
public sealed class LivenessCycleTests
{
    public static TheoryData<string> Searches => new() { "stateful-dfs", "stateful-bfs" };

    [Theory]
    [MemberData(nameof(Searches))]
    public void Search_EventNobodySends_ReportsAFairLassoThatReplays(string search)
    {
        TestingEngine engine = Stateful.Run(search, NobodySendsGo, 1_000, reduce: false);
        TestReport report = engine.TestReport;

        Assert.Equal(BugKind.Liveness, report.Bug?.Kind);
        Assert.Contains("Monitor Progress detected a liveness bug: it stays hot forever on a fair cycle", report.Bug!.Message);
        Assert.Contains("(in Waiting)", report.Bug.Message);
        Trace trace = engine.BugTrace!;
        Assert.NotNull(trace.LoopStart);
        Assert.Contains("\nloop\n", engine.ReproducibleTrace);
        Assert.Contains("the loop begins", engine.ReadableTrace);

        // The loop is made of the spinner's steps only: the finisher is never enabled on it.
        IEnumerable<Decision> loop = trace.Decisions.Skip(trace.LoopStart!.Value);
        Assert.All(loop.Where(d => d.Kind == DecisionKind.Schedule), d => Assert.Equal(2, d.Value));
        Assert.Equal(CycleCheck.Checked, report.StateSpace!.Cycles);
    }

    [Theory]
    [MemberData(nameof(Searches))]
    public void Search_FinisherStarvedOnlyByUnfairRuns_IsExhaustedClean(string search)
    {
        // The spinner alone loops with the monitor hot, but the finisher is enabled all along that
        // loop and never runs on it: an unfair run, not a counterexample.
        TestReport report = Stateful.Run(search, FinisherRunsOnItsOwn, 1_000, reduce: false).TestReport;

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
        Assert.Equal(CycleCheck.Checked, report.StateSpace!.Cycles);
        Assert.True(report.StateSpace.HotStates > 0);
        Assert.True(report.StateSpace.HotTransitions > 0);
    }

    [Theory]
    [MemberData(nameof(Searches))]
    public void Search_CoinThatMaySayNoForever_IsExhaustedClean(string search)
    {
        // The spinner's coin could say no on every spin, keeping the monitor hot on a cycle; but the
        // coin is flipped on every round of that cycle and never says yes there, so the cycle is unfair.
        TestReport report = Stateful.Run(search, SpinnerMayNeverSendGo, 1_000, reduce: false).TestReport;

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
        Assert.True(report.StateSpace!.HotTransitions > 0);
    }

    [Theory]
    [MemberData(nameof(Searches))]
    public void Search_CycleTakingEachValueOnlyFromOtherStates_IsExhaustedClean(string search)
    {
        // The two-phase cycle takes heads and tails, but each from one state only, while the other
        // value at that state ends the run: choice fairness is per state, so the cycle is unfair.
        TestReport report = Stateful.Run(search, AlternatingCoin, 1_000, reduce: false).TestReport;

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
        Assert.True(report.StateSpace!.HotTransitions >= 2);
    }

    [Fact]
    public void Replay_TwoPhaseLoop_DivergesAsUnfairAtTheState()
    {
        // Start the alternator, then go round its two phases: tails from phase 0, heads from phase 1.
        var s1 = new Decision(DecisionKind.Schedule, 1, 0);
        Decision[] decisions = [s1, s1, new Decision(DecisionKind.Boolean, 0, 2), s1, new Decision(DecisionKind.Boolean, 1, 2)];
        var refusals = new List<string>();
        foreach (int loopStart in new[] { 1, 2 })
        {
            Decision[] d = loopStart == 1 ? decisions : [s1, s1, new Decision(DecisionKind.Boolean, 0, 2), s1, new Decision(DecisionKind.Boolean, 1, 2), s1, new Decision(DecisionKind.Boolean, 0, 2)];
            var trace = new Trace { Test = "test", Decisions = d, LoopStart = loopStart == 1 ? 1 : 3 };
            TestReport report = Explore.Replay(AlternatingCoin, TraceWriter.Write(trace)).TestReport;
            Assert.Null(report.Bug);
            refusals.Add(report.Divergence!);
        }

        Assert.Contains(refusals, d => d.Contains("makes a random choice in it that never takes value", StringComparison.Ordinal) && d.Contains("from the same state", StringComparison.Ordinal));
    }

    [Fact]
    public void Replay_LoopWhoseCoinNeverSaysYes_DivergesAsUnfair()
    {
        // Finisher(1) starts and waits; Spinner(2) starts, then alternates delivering its Spin and
        // handling it with a coin that says no. Offer that as a loop after either stem length.
        var s2 = new Decision(DecisionKind.Schedule, 2, 0);
        var no = new Decision(DecisionKind.Boolean, 0, 2);
        Decision[] stem = [new Decision(DecisionKind.Schedule, 1, 0), s2, s2];
        var refusals = new List<string>();
        foreach (Decision[] loop in new[] { new[] { s2, no, s2 }, [s2, s2, no] })
        {
            var trace = new Trace { Test = "test", Decisions = [.. stem, .. loop], LoopStart = stem.Length };
            TestReport report = Explore.Replay(SpinnerMayNeverSendGo, TraceWriter.Write(trace)).TestReport;
            Assert.Null(report.Bug);
            refusals.Add(report.Divergence!);
        }

        Assert.Contains(refusals, d => d.Contains("Spinner(2) makes a random choice in it that never takes value 1 (as its first choice)"));
    }

    [Fact]
    public void Search_EveryFairRunCools_IsExhaustedClean()
    {
        TestReport report = Stateful.Dfs(SpinnerSendsGo).TestReport;

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void Search_WithReduction_SaysCyclesWereNotChecked()
    {
        TestReport report = Stateful.Dfs(NobodySendsGo, reduce: true).TestReport;

        Assert.Equal(CycleCheck.OffUnderReduction, report.StateSpace!.Cycles);
        Assert.Contains("reduction preserves safety, not cycles", report.Summary());
    }

    [Fact]
    public void Replay_LoopCutShort_DivergesBecauseItIsNoCycle()
    {
        Trace trace = Stateful.Dfs(NobodySendsGo).BugTrace!;
        int lastStep = trace.Decisions.ToList().FindLastIndex(d => d.Kind == DecisionKind.Schedule);
        Assert.True(lastStep > trace.LoopStart);
        Trace cut = trace with { Decisions = trace.Decisions.Take(lastStep).ToArray() };

        TestingEngine replay = Explore.Replay(NobodySendsGo, TraceWriter.Write(cut));

        Assert.Contains("does not return to the state it began in", replay.TestReport.Divergence);
        Assert.Null(replay.TestReport.Bug);
    }

    [Fact]
    public void Replay_UnfairLoop_DivergesNamingTheStarvedActor()
    {
        // Spin the spinner alone past its start, then offer its spins as a loop while the finisher
        // (created first, so operation 1) is enabled and never runs. Some loop length returns to the
        // state it began in; every one must be refused, none reported as a bug.
        var refusals = new List<string>();
        for (int stem = 2; stem <= 3; stem++)
        {
            for (int loop = 1; loop <= 4; loop++)
            {
                var decisions = Enumerable.Repeat(new Decision(DecisionKind.Schedule, 2, 0), stem + loop).ToArray();
                var trace = new Trace { Test = "test", Decisions = decisions, LoopStart = stem };
                TestReport report = Explore.Replay(FinisherFirst, TraceWriter.Write(trace)).TestReport;
                Assert.Null(report.Bug);
                refusals.Add(report.Divergence!);
            }
        }

        Assert.Contains(refusals, d => d.Contains("the loop is unfair: Finisher(1) is enabled in it but never runs"));
    }

    [Fact]
    public void Reader_RejectsASecondLoopAndAnEmptyLoop()
    {
        const string Head = "# verify-trace 1\n# test t\n";

        TraceFormatException twice = Assert.Throws<TraceFormatException>(() => TraceReader.Read(Head + "sched 1\nloop\nsched 1\nloop\nsched 1\n"));
        TraceFormatException empty = Assert.Throws<TraceFormatException>(() => TraceReader.Read(Head + "sched 1\nloop\n"));

        Assert.Contains("a second 'loop' line", twice.Message);
        Assert.Contains("no decisions after it", empty.Message);
    }

    [Fact]
    public void WriterAndReader_RoundTripTheLoop()
    {
        var trace = new Trace
        {
            Test = "t",
            Decisions = [new Decision(DecisionKind.Schedule, 1, 2), new Decision(DecisionKind.Boolean, 1, 2), new Decision(DecisionKind.Schedule, 2, 2)],
            LoopStart = 2,
        };

        Trace back = TraceReader.Read(TraceWriter.Write(trace));

        Assert.Equal(2, back.LoopStart);
        Assert.Equal(3, back.Decisions.Count);
        Assert.Null(TraceReader.Read(TraceWriter.Write(trace with { LoopStart = null })).LoopStart);
    }

    private static void FinisherFirst(Verify.Actors.IActorRuntime r)
    {
        r.RegisterMonitor<Progress>();
        r.CreateActor(typeof(Finisher), new Finisher.Setup(false));
        r.CreateActor(typeof(Spinner), new Setup(null, false));
    }
}
