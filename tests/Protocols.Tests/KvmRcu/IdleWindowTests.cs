using Verify;
using Verify.Protocols.KvmRcu;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.KvmRcu;

/// <summary>
/// Marcelo Tosatti's vcpu_put-to-idle window (src/Protocols/KvmRcu/README.md) by exhaustive search: CPlus, whose
/// kvm_sched_out() clears the flag before the idle task runs, wakes rcuc there; the stateful
/// searches find it, breadth-first with a shortest trace. C keeps the flag set through the HLT, so
/// its whole state space (the minimal configuration, all reachable states) has no such wakeup.
/// </summary>
public sealed class IdleWindowTests
{
    [Fact]
    public void CPlus_Window_IsFoundByBothStatefulSearches_BreadthFirstNoLonger()
    {
        (TestReport dfs, int dfsSteps, string log) = Search(Variant.CPlus, "stateful-dfs", KvmRcuParams.Minimal);
        (TestReport bfs, int bfsSteps, _) = Search(Variant.CPlus, "stateful-bfs", KvmRcuParams.Minimal);

        Assert.Contains("the vcpu_put-to-idle window of a guest HLT", dfs.Bug!.Message, StringComparison.Ordinal);
        Assert.Contains("the vcpu_put-to-idle window of a guest HLT", bfs.Bug!.Message, StringComparison.Ordinal);
        Assert.True(bfsSteps <= dfsSteps, $"breadth-first {bfsSteps} steps, depth-first {dfsSteps}");

        // The readable trace shows the mechanism: kvm_sched_out(), the switch to idle, the tick's wakeup, no ct_cpuidle_enter() between.
        int schedOut = log.IndexOf("kvm_sched_out()", StringComparison.Ordinal);
        int toIdle = log.IndexOf("context_switch(vcpu0 -> swapper/0)", schedOut + 1, StringComparison.Ordinal);
        int wakeup = log.IndexOf("observes InvokeRcuCore", toIdle + 1, StringComparison.Ordinal);
        Assert.True(schedOut >= 0 && toIdle > schedOut && wakeup > toIdle, log);
        Assert.DoesNotContain("ct_cpuidle_enter()", log[toIdle..wakeup], StringComparison.Ordinal);
    }

    [Fact]
    public void C_Window_HoldsInEveryReachableState_OfAShortRun()
    {
        // Three jiffies instead of four keep the exhaustive search to a few seconds.
        (TestReport report, _, _) = Search(Variant.C, "stateful-dfs", KvmRcuParams.Minimal with { MaxTicks = 3 });

        ModelRuns.AssertExhaustedClean(report);
        Assert.Equal(0, report.StateSpace!.BoundCutStates);
        Assert.True(report.StateSpace.States > 10_000, $"{report.StateSpace.States} states");
    }

    [Fact]
    public void TwoWorkers_ExhaustTheSameStates_AndFindTheSameWindow()
    {
        // Workers share the visited set, so the reachable states are counted once whoever reaches them;
        // hashes must not depend on the thread (an iterator records the thread that created it).
        KvmRcuParams shortRun = KvmRcuParams.Minimal with { MaxTicks = 3 };
        (TestReport one, _, _) = Search(Variant.C, "stateful-dfs", shortRun);
        (TestReport two, _, _) = Search(Variant.C, "stateful-dfs", shortRun, workers: 2);
        (TestReport bug, int steps, _) = Search(Variant.CPlus, "stateful-dfs", KvmRcuParams.Minimal, workers: 2);

        Assert.True(two.Exhausted);
        Assert.Equal(2, two.StateSpace!.Workers);
        Assert.True(two.StateSpace.Handoffs > 0);
        Assert.Equal(
            (one.StateSpace!.States, one.StateSpace.Transitions, one.StateSpace.TerminalStates),
            (two.StateSpace.States, two.StateSpace.Transitions, two.StateSpace.TerminalStates));
        Assert.Contains("the vcpu_put-to-idle window of a guest HLT", bug.Bug?.Message, StringComparison.Ordinal);
        Assert.True(steps > 0);
    }

    private static (TestReport Report, int TraceSteps, string Log) Search(Variant variant, string search, KvmRcuParams p, int workers = 1)
    {
        TestingEngine engine = Explore.Stateful(variant, Scenario.GuestHlt, p with { Properties = [Property.NoRcucWakeupEnteringIdle] }, search, workers: workers);
        return (engine.TestReport, Explore.TraceSteps(engine), engine.ReadableTrace);
    }
}
