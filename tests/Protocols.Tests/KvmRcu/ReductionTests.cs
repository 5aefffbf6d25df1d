using Verify;
using Verify.Actors;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Protocols.KvmRcu;
using Verify.SystematicTesting;
using Xunit;
using Xunit.Abstractions;

namespace Protocols.Tests.KvmRcu;

/// <summary>
/// Partial-order reduction on the kernel model: a nohz_full CPU's statement that touched only its
/// own variables and leaves it mid-jiffy runs alone. Reduction must keep the window CPlus opens and
/// every terminal state of C's space while visiting fewer states; the ownership it relies on is
/// checked at every access.
/// </summary>
public sealed class ReductionTests(ITestOutputHelper output)
{
    private static readonly KvmRcuParams ShortRun = KvmRcuParams.Minimal with { MaxTicks = 3, Properties = [Property.NoRcucWakeupEnteringIdle] };

    [Fact]
    public void Reduction_KeepsEveryTerminalStateOfC_WithFewerStates()
    {
        StateSpaceReport full = Search(Variant.C, "stateful-dfs", ShortRun, reduce: false).StateSpace!;
        TestReport reduced = Search(Variant.C, "stateful-dfs", ShortRun, reduce: true);
        output.WriteLine($"full {full.States:N0} states, {full.TerminalStates:N0} terminal; reduced {reduced.StateSpace!.States:N0}, {reduced.StateSpace.TerminalStates:N0} terminal, {reduced.StateSpace.ReducedStates:N0} through one actor");

        ModelRuns.AssertExhaustedClean(reduced);
        Assert.True(reduced.StateSpace.ReducedStates > 0);
        Assert.True(reduced.StateSpace.States < full.States, $"{reduced.StateSpace.States} < {full.States}");
        Assert.Equal(full.TerminalStates, reduced.StateSpace.TerminalStates);
    }

    [Theory]
    [InlineData("stateful-dfs")]
    [InlineData("stateful-bfs")]
    public void Reduction_StillFindsTheCPlusWindow(string search)
    {
        TestReport report = Search(Variant.CPlus, search, ShortRun with { MaxTicks = 4 }, reduce: true);

        Assert.Contains("the vcpu_put-to-idle window of a guest HLT", report.Bug?.Message, StringComparison.Ordinal);
        Assert.True(report.StateSpace!.ReducedStates > 0);
    }

    [Fact]
    public void AHousekeepingKthread_TouchingAPerCpuVariable_FailsTheStep_NamingIt()
    {
        TestingEngine engine = TestingEngine.Create(Configuration.Create().WithTestingIterations(5), r =>
        {
            var k = new KernelState(new KernelConfig(), r);
            k.Boot(new RogueKthread());
        });
        engine.Run();

        Assert.Contains("the housekeeping CPU touched cpu0's irqs_disabled, a per-CPU variable", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
    }

    private static TestReport Search(Variant variant, string search, KvmRcuParams p, bool reduce) =>
        Explore.Stateful(variant, Scenario.GuestHlt, p, search, reduce).TestReport;

    /// <summary>A housekeeping kthread that disables a nohz_full CPU's interrupts, which no kernel code can do.</summary>
    private sealed class RogueKthread() : TaskStruct("rogue", schedFifo: false, cpu: -1)
    {
        protected override IEnumerable<Stmt> Body(KernelState k)
        {
            k.cpus[0].irqs_disabled = true;
            yield return "cpu0: local_irq_disable() from afar";
        }
    }
}
