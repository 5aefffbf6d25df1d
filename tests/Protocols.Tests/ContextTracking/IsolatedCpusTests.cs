using Verify.Protocols.ContextTracking;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.ContextTracking;

/// <summary>
/// Two isolated CPUs (<c>--param IsolatedCpus=2</c>): each runs the scenario's activity on its own
/// per-CPU state, a sender's on_each_cpu_cond() evaluates its condition for each in turn, and the
/// monitors judge each CPU and name it. The searches are bounded (the two CPUs' interleavings
/// multiply the states): a clean result here is a bounded claim, stated in each test.
/// </summary>
public sealed class IsolatedCpusTests
{
    private static CtParams Two(Property property) => Explore.Only(property) with { IsolatedCpus = 2 };

    /// <summary>
    /// The intended v6 setter (expecting the CPU outside the kernel) against a text patch while both
    /// CPUs make a syscall: no stale text on either CPU in the first 150,000 distinct states of a
    /// depth-first search (which reaches complete runs) nor in 300 sampled schedules.
    /// </summary>
    [Fact]
    public void IntendedV6Setter_HoldsNoStaleText_OnBothCpus_WithinTheBound()
    {
        Scenario scenario = Explore.Named("TextPatchSyscall");
        TestingEngine dfs = ModelRuns.Checked(
            ModelRuns.Stateful("stateful-dfs").WithMaxStates(150_000),
            r => ContextTrackingModel.Run(r, Variant.V6Intended, scenario, Two(Property.NoStaleText)));
        TestReport sampled = Explore.Run(Variant.V6Intended, scenario, Two(Property.NoStaleText), iterations: 300, seed: 3);

        Assert.Null(dfs.TestReport.Bug);
        Assert.True(dfs.TestReport.StateSpace!.States > 100_000, "the bounded search must cover a sizeable state space");
        Assert.Null(sampled.Bug);
    }

    /// <summary>v6 as posted (expecting the CPU in the kernel) still runs stale text with two isolated CPUs; the shortest trace names cpu0.</summary>
    [Fact]
    public void PostedV6_StillRunsStaleText_AndTheReportNamesTheCpu()
    {
        TestingEngine engine = Explore.Stateful(Variant.V6, Explore.Named("TextPatchSyscall"), Two(Property.NoStaleText));

        Assert.Contains("P-CT-S1: cpu0 executed __tracepoint_sched_switch", engine.TestReport.Bug?.Message, StringComparison.Ordinal);

        // The sender evaluated ct_set_cpu_work() for each isolated CPU, one after the other.
        Assert.Contains("ct_set_cpu_work(cpu0, CT_WORK_SYNC) returns true", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("ct_set_cpu_work(cpu1, CT_WORK_SYNC) returns true", engine.ReadableTrace, StringComparison.Ordinal);
    }

    /// <summary>The second CPU is judged on its own: among sampled counterexamples of posted v6 (S1) and of an entry that drops its work (S3), some name cpu1.</summary>
    [Theory]
    [InlineData(Variant.V6, Property.NoStaleText, false, "P-CT-S1: cpu1 ")]
    [InlineData(Variant.RfcV2, Property.NoLostWork, true, "P-CT-S3: cpu1's exit")]
    public void TheSecondIsolatedCpu_IsJudgedOnItsOwn(Variant variant, Property property, bool mutant, string expected)
    {
        CtParams p = Two(property) with { MutantEntryDropsWork = mutant };
        var messages = new List<string>();
        for (ulong seed = 0; seed < 40 && !messages.Any(m => m.Contains(expected, StringComparison.Ordinal)); seed++)
        {
            TestReport report = Explore.Run(variant, Explore.Named("TextPatchSyscall"), p, iterations: 20, seed: seed, strategy: "random");
            if (report.Bug?.Message is string m)
            {
                messages.Add(m);
            }
        }

        Assert.Contains(messages, m => m.Contains(expected, StringComparison.Ordinal));
    }

    /// <summary>
    /// Without deferral each poke's on_each_cpu_cond() IPIs every isolated CPU (three pokes, three
    /// IPIs to each); with the intended v6 setter and both CPUs in user space each CPU's sync is
    /// deferred on its own word (three each) and no IPI is sent.
    /// </summary>
    [Fact]
    public void IpisAndDeferrals_AreCountedPerTargetCpu()
    {
        Scenario user = Explore.Named("TextPatchUser");
        var one = new ContextTrackingStatistics();
        var noDeferral = new ContextTrackingStatistics();
        var deferred = new ContextTrackingStatistics();

        Explore.Run(Variant.NoDeferral, user, CtParams.Minimal with { Statistics = one }, iterations: 20, seed: 1);
        Explore.Run(Variant.NoDeferral, user, CtParams.Minimal with { Statistics = noDeferral, IsolatedCpus = 2 }, iterations: 20, seed: 1);
        Explore.Run(Variant.V6Intended, user, CtParams.Minimal with { Statistics = deferred, IsolatedCpus = 2 }, iterations: 20, seed: 1);

        Assert.Equal(new Dictionary<int, int> { [0] = 3 * one.Runs }, one.SentTo);
        Assert.Equal(new Dictionary<int, int> { [0] = 3 * noDeferral.Runs, [1] = 3 * noDeferral.Runs }, noDeferral.SentTo);
        Assert.Equal(6 * noDeferral.Runs, noDeferral.Received.Values.Sum());
        Assert.Empty(deferred.SentTo);
        Assert.Equal(new Dictionary<int, int> { [0] = 3 * deferred.Runs, [1] = 3 * deferred.Runs }, deferred.DeferredFor);
    }
}
