using Verify.Actors;
using Verify.Kernel.Memory;

namespace Verify.Protocols.VgicLpi;

/// <summary>
/// <see cref="VgicLpiParams"/> as <c>--param NAME=VALUE</c> for the <c>Variant.Scenario.Property</c>
/// tests: the defaults are those of <see cref="VgicLpiModel.Tests"/>, and the body is the one that matrix runs.
/// </summary>
public sealed class VgicLpiParameters : ScenarioParameters<VgicLpiParams>
{
    protected override IReadOnlyList<Knob> Knobs { get; } =
    [
        MemoryKnob("the memory mode: sc, tso or lkmm (by default the scenario's; tso and lkmm in the publication scenarios only)", p => p.Memory, (p, m) => p with { Memory = m }),
        Int("MaxTicks", "jiffies before time stops", 1, 100_000, p => p.MaxTicks, (p, v) => p with { MaxTicks = v }),
        Bool("PreemptRt", "CONFIG_PREEMPT_RT; by default on for the LockClasses cells (except PruneVsMaptiNoMem's) only", p => p.PreemptRt ?? false, (p, v) => p with { PreemptRt = v }),
        Bool("MutantPutKfree", "S1's mutant: vgic_put_irq() uses kfree() instead of kfree_rcu()", p => p.MutantPutKfree, (p, v) => p with { MutantPutKfree = v }),
        Bool("MutantGetLpiWithoutTryGet", "S2's mutant: vgic_get_lpi() takes kref_get() instead of vgic_try_get_irq_kref()", p => p.MutantGetLpiWithoutTryGet, (p, v) => p with { MutantGetLpiWithoutTryGet = v }),
        Bool("MutantPutWithoutListLock", "S1's and S2's mutant in v6.7 and v6.8: vgic_put_irq() drops its reference without lpi_list_lock", p => p.MutantPutWithoutListLock, (p, v) => p with { MutantPutWithoutListLock = v }),
        Bool("MutantCacheGetWithoutTryGet", "S2's mutant: the cache lookup takes kref_get() instead of kref_get_unless_zero()", p => p.MutantCacheGetWithoutTryGet, (p, v) => p with { MutantCacheGetWithoutTryGet = v }),
        Bool("MutantReleaseSkipsLpiCount", "S3's mutant: a release leaves lpi_count alone", p => p.MutantReleaseSkipsLpiCount, (p, v) => p with { MutantReleaseSkipsLpiCount = v }),
        Bool("MutantReleaseLeaks", "S4's mutant: a release never frees the vgic_irq", p => p.MutantReleaseLeaks, (p, v) => p with { MutantReleaseLeaks = v }),
        Bool("MutantPutUnderRawLocks", "S5's mutant: vgic_put_irq() under the raw ap_list_lock instead of vgic_put_irq_norelease()", p => p.MutantPutUnderRawLocks, (p, v) => p with { MutantPutUnderRawLocks = v }),
        Bool("MutantDiscardKeepsCache", "S6's mutant: DISCARD does not invalidate the translation cache", p => p.MutantDiscardKeepsCache, (p, v) => p with { MutantDiscardKeepsCache = v }),
        Bool("MutantNoNullTest", "S7's mutant: no NULL test after vgic_get_irq() on a copied INTID (or in INVALL)", p => p.MutantNoNullTest, (p, v) => p with { MutantNoNullTest = v }),
        Bool("MutantInvallPutUnderIrqLock", "S5's mutant in INVALL: vgic_put_irq() inside update_lpi_config()'s raw irq_lock section", p => p.MutantInvallPutUnderIrqLock, (p, v) => p with { MutantInvallPutUnderIrqLock = v }),
        Bool("MutantQueueUnderIrqLock", "S5's lock-order mutant: vgic_queue_irq_unlock() takes ap_list_lock inside irq_lock", p => p.MutantQueueUnderIrqLock, (p, v) => p with { MutantQueueUnderIrqLock = v }),
        Bool("FixPruneChecksVcpu", "a proposed fix: the prune's re-check before a move also requires irq->vcpu == vcpu", p => p.FixPruneChecksVcpu, (p, v) => p with { FixPruneChecksVcpu = v }),
        Bool("MutantPublishWithWriteOnce", "S8's mutant: xas_store() publishes a new entry with WRITE_ONCE() instead of rcu_assign_pointer()", p => p.MutantPublishWithWriteOnce, (p, v) => p with { MutantPublishWithWriteOnce = v }),
        Bool("MutantCacheWaitsForGp", "L1's mutant: the cache insertion calls synchronize_rcu()", p => p.MutantCacheWaitsForGp, (p, v) => p with { MutantCacheWaitsForGp = v }),
    ];

    protected override VgicLpiParams? Defaults(string scenario) =>
        Parse(scenario) is var (_, _, property) ? VgicLpiParams.Minimal with { Properties = [property] } : null;

    protected override VgicLpiParams WithProperties(VgicLpiParams p, IReadOnlyList<string> properties) =>
        p with { Properties = properties.Select(Enum.Parse<Property>).ToArray() };

    protected override object? SearchConfiguration(string scenario, VgicLpiParams p) => VgicLpiModel.PreemptRt(Parse(scenario)!.Value.Scenario, p);

    protected override Action<IActorRuntime> Body(string scenario, VgicLpiParams p)
    {
        (Variant variant, Scenario s, _) = Parse(scenario)!.Value;
        if (p.Memory is MemoryMode weak && weak != MemoryMode.Sc && s.WeakMemoryAllowed && !(s with { Memory = weak }).Models(variant))
        {
            throw new ScenarioParameterException(
                $"--param memory={weak.ToString().ToLowerInvariant()}: {variant}.{s.Name} runs under sc only: {variant}'s translation cache is not routed through the memory.");
        }

        if (p.Memory is MemoryMode m && m != MemoryMode.Sc && !s.WeakMemoryAllowed)
        {
            throw new ScenarioParameterException(
                $"--param memory={m.ToString().ToLowerInvariant()}: {s.Name} runs under sc only. It erases under RCU, and the grace period is not tied to the memory, "
                + "so a weak mode could report a use-after-free the grace period rules out. The weak modes are for the publication scenarios (InvlpiVsMapti, CachedInjectVsMapti).");
        }

        return r => VgicLpiModel.Run(r, variant, s, p);
    }

    protected override string ShowDefault(string scenario, VgicLpiParams p, Knob knob) => knob.Name switch
    {
        "PreemptRt" when p.PreemptRt is null => VgicLpiModel.PreemptRt(Parse(scenario)!.Value.Scenario, p) ? "true" : "false",
        "memory" when p.Memory is null => Parse(scenario)!.Value.Scenario.Memory.ToString().ToLowerInvariant(),
        _ => knob.Show(p),
    };

    /// <summary><c>Variant.Scenario.Property</c> where the scenario says something about the property, or null.</summary>
    private static (Variant Variant, Scenario Scenario, Property Property)? Parse(string scenario) =>
        ParseCell<Variant, Scenario, Property>(scenario, Scenario.All, s => s.Name) is var (v, s, p) && s.Properties.Contains(p) && s.Models(v) ? (v, s, p) : null;
}
