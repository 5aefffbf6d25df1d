using Verify.Actors;
using Verify.Kernel.Memory;
using Verify.Protocols.ContextTracking.Monitors;
using Verify.SystematicTesting;

namespace Verify.Protocols.ContextTracking;

/// <summary>Sizes and switches of a context-tracking configuration; the defaults are the minimal one.</summary>
public sealed record CtParams
{
    /// <summary>The memory mode; null takes the scenario's (SC unless its name says TSO or LKMM).</summary>
    public MemoryMode? Memory { get; init; }

    /// <summary>The monitors to register; a verdict cell checks one property so its trace names the one that failed.</summary>
    public IReadOnlyList<Property> Properties { get; init; } = Enum.GetValues<Property>();

    /// <summary>A broken entry for P-CT-S1 and P-CT-S3: ct_kernel_enter_state() ignores the work bits its atomic returned (no ct_work_flush()).</summary>
    public bool MutantEntryDropsWork { get; init; }

    /// <summary>A weakened setter for P-CT-S2: its cmpxchg is atomic_try_cmpxchg_relaxed(), which orders nothing (visible under the LKMM mode only).</summary>
    public bool MutantRelaxedSetterCmpxchg { get; init; }

    /// <summary>A broken text-patching sender for P-CT-S4: no forced IPI for a site in noinstr/entry text (RFC v3 on).</summary>
    public bool MutantNoForcedIpiForNoinstr { get; init; }

    /// <summary>A weakened v6 flush for P-CT-S5: flush_tlb_kernel_range_deferrable() without its smp_mb() between the PTE clear and the read of kernel_cr3_loaded (visible under TSO and LKMM).</summary>
    public bool MutantNoMbInDeferrableFlush { get; init; }

    /// <summary>
    /// Not a posting: v5's and v6's setter expecting the CPU not watching (old &amp;= ~CT_RCU_WATCHING
    /// instead of |=), so that the cmpxchg can succeed only against a CPU outside the kernel, as the
    /// setter's comment says it should.
    /// </summary>
    public bool FixExpectNotWatching { get; init; }

    /// <summary>
    /// Not a posting: v6's entry sets kernel_cr3_loaded before it switches to the kernel CR3 and
    /// flushes, and its exit clears the flag only after the switch to the user CR3, so that the flag
    /// reads 1 whenever the CPU is on the kernel CR3 (no window for a speculative walk behind a
    /// skipped flush).
    /// </summary>
    public bool FixKernelCr3LoadedOrder { get; init; }

    /// <summary>
    /// The number of isolated (nohz_full) CPUs, cpu0 ... cpuN-1, each doing the scenario's activity
    /// on its own, with its own per-CPU state; a sender's on_each_cpu_cond() evaluates its condition
    /// for each of them in turn. 1 is the minimal configuration every verdict cell uses.
    /// </summary>
    public int IsolatedCpus { get; init; } = 1;

    /// <summary>Statistics runs: counts IPIs instead of checking properties.</summary>
    public ContextTrackingStatistics? Statistics { get; init; }

    /// <summary>Workload runs (statistics): the isolated CPU and the senders loop instead of acting once.</summary>
    public Workload? Workload { get; init; }

    public static CtParams Minimal { get; } = new();
}

/// <summary>
/// The context-tracking deferral model: cpu0 isolated (or cpu0 ... cpuN-1 with
/// <see cref="CtParams.IsolatedCpus"/>), each doing one activity, against one or two housekeeping
/// senders; every variant by every scenario, as named tests.
/// </summary>
public static class ContextTrackingModel
{
    /// <summary>
    /// The variant x scenario x property matrix, named <c>Variant.Scenario.Property</c>
    /// (e.g. <c>RfcV2.TextPatchNmiFromUser.NoStaleText</c>), each on the minimal configuration; a
    /// property that says nothing about the scenario's sender or activity has no cell.
    /// </summary>
    [TestSource]
    public static IEnumerable<TestCaseSource> Tests =>
        from v in Enum.GetValues<Variant>()
        from s in Scenario.All
        from p in Enum.GetValues<Property>()
        where p.AppliesTo(s)
        select new TestCaseSource($"{v}.{s.Name}.{p}", r => Run(r, v, s, CtParams.Minimal with { Properties = [p] }));

    /// <summary>Sets up one configuration in the test body; the engine explores it.</summary>
    public static void Run(IActorRuntime runtime, Variant variant, Scenario scenario, CtParams p)
    {
        Register(runtime, p);
        p.Statistics?.NewRun();
        var k = new CtKernel(runtime, variant, scenario, p);
        k.housekeepers = new ActorId?[scenario.Housekeepers];
        foreach (CtCpu c in k.cpus)
        {
            c.actor = runtime.CreateActor(typeof(IsolatedCpu), c.name, new IsolatedCpu.Setup(k, c));
        }

        for (int h = 0; h < scenario.Housekeepers; h++)
        {
            k.housekeepers[h] = runtime.CreateActor(typeof(CtSender), $"hk{h}", new CtSender.Setup(k, h));
        }

        // The machine starts: each CPU boots waiting and is woken once.
        foreach (CtCpu c in k.cpus)
        {
            runtime.SendEvent(c.actor!, IsolatedCpu.Kick.Instance);
        }

        foreach (ActorId? hk in k.housekeepers)
        {
            runtime.SendEvent(hk!, CtSender.Wake.Instance);
        }
    }

    private static void Register(IActorRuntime runtime, CtParams p)
    {
        if (p.Statistics is not null)
        {
            return;
        }

        foreach (Property property in p.Properties)
        {
            switch (property)
            {
                case Property.NoStaleText: runtime.RegisterMonitor<NoStaleText>(); break;
                case Property.Ordering: runtime.RegisterMonitor<Ordering>(); break;
                case Property.NoLostWork: runtime.RegisterMonitor<NoLostWork>(); break;
                case Property.DangerZone: runtime.RegisterMonitor<DangerZone>(); break;
                case Property.NoStaleTranslation: runtime.RegisterMonitor<NoStaleTranslation>(); break;
                case Property.NoNoise: runtime.RegisterMonitor<NoNoise>(); break;
                case Property.BoundedRetry: runtime.RegisterMonitor<BoundedRetry>(); break;
                case Property.EntryAtomics: runtime.RegisterMonitor<EntryAtomics>(); break;
            }
        }
    }
}
