using Verify.Kernel.ContextTracking;
using Verify.Protocols.ContextTracking;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.ContextTracking;

/// <summary>
/// With two isolated CPUs: on_each_cpu_cond() queues each CPU's csd right after its condition and
/// raises the IPIs after the loop; the setter's trace lines name the CPU whose word they touch; the
/// statistics sample every isolated CPU's own context and count IPIs and deferrals per target.
/// </summary>
public sealed class PerCpuTests
{
    private static CtParams Two(Property property) => Explore.Only(property) with { IsolatedCpus = 2 };

    /// <summary>
    /// v6's kernel-range flush against two idle CPUs (both with the kernel CR3 loaded): cond(cpu0),
    /// then cpu0's llist_add() as its own step, then cond(cpu1), then cpu1's llist_add() with
    /// send_call_function_ipi_mask() to both, in that order, in the shortest trace of the noise it
    /// makes.
    /// </summary>
    [Fact]
    public void EachCsdIsQueuedAfterItsOwnCondition_AndTheIpiAfterTheLoop()
    {
        TestingEngine engine = Explore.Stateful(Variant.V6Intended, Explore.Named("RangeFlushIdle"), Two(Property.NoNoise));
        string trace = engine.ReadableTrace;

        Assert.Contains("P-CT-L1", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        string[] order =
        [
            "hk0: flush_tlb_kernel_range_deferrable: cond(cpu0): READ_ONCE(per_cpu(kernel_cr3_loaded, 0)) = 1",
            "hk0: smp_call_function_many_cond(do_kernel_range_flush): llist_add(csd, &per_cpu(call_single_queue, 0)) (queue on cpu0)",
            "hk0: flush_tlb_kernel_range_deferrable: cond(cpu1): READ_ONCE(per_cpu(kernel_cr3_loaded, 1)) = 1",
            "hk0: smp_call_function_many_cond(do_kernel_range_flush): queue on cpu1, send_call_function_ipi_mask(0x3)",
        ];
        int at = -1;
        foreach (string line in order)
        {
            int next = trace.IndexOf(line, StringComparison.Ordinal);
            Assert.True(next > at, $"expected \"{line}\" after the previous step in:\n{trace}");
            at = next;
        }
    }

    /// <summary>
    /// With one isolated CPU nothing runs between its llist_add() and the IPI, and they stay one
    /// step: the shortest trace of no deferral's noise has no separate llist_add() step.
    /// </summary>
    [Fact]
    public void WithOneCpu_TheCsdIsQueuedInTheIpisStep()
    {
        TestingEngine engine = Explore.Stateful(Variant.NoDeferral, Explore.Named("TextPatchUser"), Explore.Only(Property.NoNoise));

        Assert.Contains("hk0: smp_call_function_many_cond(do_sync_core): queue on cpu0, send_call_function_ipi_mask(0x1)", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.DoesNotContain("llist_add(csd", engine.ReadableTrace, StringComparison.Ordinal);
    }

    /// <summary>
    /// Posted v6 against two CPUs making a syscall: the setter's lines say which CPU's word each
    /// access touches, cpu0's before cpu1's.
    /// </summary>
    [Fact]
    public void SetterLines_NameTheCpuWhoseWordTheyTouch()
    {
        TestingEngine engine = Explore.Stateful(Variant.V6, Explore.Named("TextPatchSyscall"), Two(Property.NoStaleText));
        string trace = engine.ReadableTrace;

        int cpu0 = trace.IndexOf("hk0: ct_set_cpu_work(cpu0): ct->active; old = atomic_read(&ct->state) = 0x", StringComparison.Ordinal);
        int cpu1 = trace.IndexOf("hk0: ct_set_cpu_work(cpu1): ct->active; old = atomic_read(&ct->state) = 0x", StringComparison.Ordinal);
        Assert.True(cpu0 >= 0 && cpu1 > cpu0, trace);
        Assert.Contains("hk0: ct_set_cpu_work(cpu1): atomic_try_cmpxchg(&ct->state, ", trace, StringComparison.Ordinal);
        Assert.DoesNotContain("ct_set_cpu_work: ", trace, StringComparison.Ordinal);
    }

    private static readonly Scenario Workload = new() { Name = "Workload", Activity = Activity.User, Sender = Sender.TextPatch };

    private static ContextTrackingStatistics Collect(Variant variant, int cpus, bool fix = false)
    {
        var stats = new ContextTrackingStatistics();
        var p = CtParams.Minimal with { Statistics = stats, Workload = new Workload(), IsolatedCpus = cpus, FixExpectNotWatching = fix };
        Explore.Run(variant, Workload, p, iterations: 30, seed: 0, strategy: "random");
        return stats;
    }

    /// <summary>
    /// The statistics' workload on two CPUs: at every step each CPU's own context is sampled (the
    /// same number of samples for each, and cpu1 is seen both in user space and in the kernel), and
    /// every IPI is classified by the context of the CPU it was sent to.
    /// </summary>
    [Fact]
    public void Statistics_SampleEachIsolatedCpusOwnContext()
    {
        ContextTrackingStatistics s = Collect(Variant.NoDeferral, cpus: 2);

        int Samples(int cpu) => s.StepsByCpuContext.Where(e => e.Key.Cpu == cpu).Sum(e => e.Value);
        Assert.True(Samples(0) > 0);
        Assert.Equal(Samples(0), Samples(1));
        Assert.Equal(s.StepsByContext.Values.Sum(), Samples(0) + Samples(1));
        Assert.True(s.Share(1, CtState.User) > 0 && s.Share(1, CtState.Kernel) > 0, "cpu1 spends time in user space and in the kernel");

        // Each IPI counts once, under its target and that target's context.
        Assert.Equal(s.SentTo[1], s.SentByCpu.Where(e => e.Key.Cpu == 1).Sum(e => e.Value));
        foreach (((string func, CtState context), int n) in s.Sent)
        {
            Assert.Equal(n, s.SentByCpu.Where(e => e.Key.Func == func && e.Key.Context == context).Sum(e => e.Value));
        }

        Assert.Contains(s.SentByCpu.Keys, key => key.Cpu == 1 && key.Context == CtState.User);
        Assert.Contains(s.SentByCpu.Keys, key => key.Cpu == 1 && key.Context == CtState.Kernel);
    }

    /// <summary>
    /// With one CPU the per-CPU samples are cpu0's, the same as the document's; without deferral
    /// every sync and flush IPIs both CPUs (SentTo equal for each, half of all), and with the setter
    /// expecting the CPU outside the kernel both CPUs get deferrals (DeferredFor) and fewer IPIs.
    /// </summary>
    [Fact]
    public void Statistics_CountIpisAndDeferralsPerTarget()
    {
        ContextTrackingStatistics one = Collect(Variant.NoDeferral, cpus: 1);
        ContextTrackingStatistics control = Collect(Variant.NoDeferral, cpus: 2);
        ContextTrackingStatistics v6 = Collect(Variant.V6, cpus: 2, fix: true);

        Assert.Equal(one.StepsByContext.Values.Sum(), one.StepsByCpuContext.Where(e => e.Key.Cpu == 0).Sum(e => e.Value));
        Assert.Equal([0], one.SentTo.Keys);

        // 8 operations per run: 4 text patches (three syncs each) and 4 vunmaps (one flush each), to each CPU.
        Assert.Equal(16 * control.Runs, control.SentTo[0]);
        Assert.Equal(16 * control.Runs, control.SentTo[1]);
        Assert.Empty(control.DeferredFor);

        Assert.True(v6.DeferredFor.GetValueOrDefault(0) > 0 && v6.DeferredFor.GetValueOrDefault(1) > 0, "both CPUs' work is deferred");
        Assert.True(v6.SentTo.GetValueOrDefault(1) < control.SentTo[1], "cpu1 receives fewer IPIs than without deferral");
        Assert.Equal(v6.Sent.Values.Sum(), v6.SentTo.Values.Sum());
    }
}
