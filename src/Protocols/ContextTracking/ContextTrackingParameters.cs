using Verify.Actors;
using Verify.Kernel.Memory;

namespace Verify.Protocols.ContextTracking;

/// <summary>
/// <see cref="CtParams"/> as <c>--param NAME=VALUE</c> for the <c>Variant.Scenario.Property</c>
/// tests: the defaults are those of <see cref="ContextTrackingModel.Tests"/>, and the body is the one that matrix runs.
/// </summary>
public sealed class ContextTrackingParameters : ScenarioParameters<CtParams>
{
    protected override IReadOnlyList<Knob> Knobs { get; } =
    [
        MemoryKnob("the memory mode: sc, tso or lkmm (by default the scenario's)", p => p.Memory, (p, m) => p with { Memory = m }),
        Int("IsolatedCpus", "isolated (nohz_full) CPUs cpu0..cpuN-1, each doing the scenario's activity with its own ct->state, text view, TLB and call queue; a sender evaluates its on_each_cpu_cond() condition (ct_set_cpu_work(), or kernel_cr3_loaded) for each, one step each, and IPIs those it does not defer", 1, 4, p => p.IsolatedCpus, (p, v) => p with { IsolatedCpus = v }),
        Bool("MutantEntryDropsWork", "a broken entry (P-CT-S1, S3): ct_kernel_enter_state() ignores the work its atomic returned", p => p.MutantEntryDropsWork, (p, v) => p with { MutantEntryDropsWork = v }),
        Bool("MutantRelaxedSetterCmpxchg", "a weakened setter (P-CT-S2): atomic_try_cmpxchg_relaxed()", p => p.MutantRelaxedSetterCmpxchg, (p, v) => p with { MutantRelaxedSetterCmpxchg = v }),
        Bool("MutantNoForcedIpiForNoinstr", "a broken text-patching sender (P-CT-S4): no forced IPI for noinstr sites", p => p.MutantNoForcedIpiForNoinstr, (p, v) => p with { MutantNoForcedIpiForNoinstr = v }),
        Bool("MutantNoMbInDeferrableFlush", "a weakened v6 flush (P-CT-S5): no smp_mb() before reading kernel_cr3_loaded", p => p.MutantNoMbInDeferrableFlush, (p, v) => p with { MutantNoMbInDeferrableFlush = v }),
        Bool("FixKernelCr3LoadedOrder", "not a posting: v6 sets kernel_cr3_loaded before the kernel CR3 and its flush, and clears it after the user CR3", p => p.FixKernelCr3LoadedOrder, (p, v) => p with { FixKernelCr3LoadedOrder = v }),
        Bool("FixExpectNotWatching", "not a posting: v5/v6's setter with old &= ~CT_RCU_WATCHING (expects the CPU outside the kernel)", p => p.FixExpectNotWatching, (p, v) => p with { FixExpectNotWatching = v }),
    ];

    protected override CtParams? Defaults(string scenario) =>
        Parse(scenario) is var (_, _, property) ? CtParams.Minimal with { Properties = [property] } : null;

    protected override CtParams WithProperties(CtParams p, IReadOnlyList<string> properties) =>
        p with { Properties = properties.Select(Enum.Parse<Property>).ToArray() };

    protected override Action<IActorRuntime> Body(string scenario, CtParams p)
    {
        (Variant variant, Scenario s, _) = Parse(scenario)!.Value;
        return r => ContextTrackingModel.Run(r, variant, s, p);
    }

    protected override string ShowDefault(string scenario, CtParams p, Knob knob)
    {
        (_, Scenario s, _) = Parse(scenario)!.Value;
        return knob.Name == "memory" && p.Memory is null ? s.Memory.ToString().ToLowerInvariant() : knob.Show(p);
    }

    private static (Variant Variant, Scenario Scenario, Property Property)? Parse(string scenario) =>
        ParseCell<Variant, Scenario, Property>(scenario, Scenario.All, s => s.Name) is var (v, s, p) && p.AppliesTo(s) ? (v, s, p) : null;
}
