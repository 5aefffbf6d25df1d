using Verify.Protocols.VgicLpi;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.VgicLpi;

/// <summary>
/// Every property is falsifiable in the configuration its verdict cells use: a deliberately broken
/// kernel (a <c>Mutant...</c> switch) on a version and scenario where the property holds makes its
/// monitor fire, and the same budget finds nothing without the mutant.
/// </summary>
public sealed class MutantTests
{
    public static TheoryData<string, Variant, string, Property, string> Mutants() => new()
    {
        { nameof(VgicLpiParams.MutantPutKfree), Variant.V6_10, "CachedInjectVsDiscard", Property.NoUseAfterFree, "P-VG-S1: BUG: KASAN: slab-use-after-free" },
        { nameof(VgicLpiParams.MutantCacheGetWithoutTryGet), Variant.V6_10, "CachedInjectVsDiscard", Property.NoGetFromZero, "P-VG-S2: WARNING: at lib/refcount.c refcount_warn_saturate: refcount_t: addition on 0" },
        { nameof(VgicLpiParams.MutantReleaseSkipsLpiCount), Variant.V7_2, "CachedInjectVsDiscard", Property.SlotIntegrity, "P-VG-S3: lpi_count is 1 but 0 LPIs are live" },
        { nameof(VgicLpiParams.MutantReleaseLeaks), Variant.V7_2, "CachedInjectVsDiscard", Property.NoLeak, "Monitor NoLeak detected a liveness bug" },
        { nameof(VgicLpiParams.MutantPutUnderRawLocks), Variant.V6_17, "CachedInjectVsRdistDisable", Property.LockClasses, "P-VG-S5: BUG: Invalid wait context" },
        { nameof(VgicLpiParams.MutantDiscardKeepsCache), Variant.V7_2, "CachedInjectVsDiscard", Property.CacheCoherence, "P-VG-S6: injector's cache lookup of event 0 returned vgic_irq#1" },
        { nameof(VgicLpiParams.MutantNoNullTest), Variant.V7_2, "SyncPendingVsDiscard", Property.NullTolerant, "BUG: kernel NULL pointer dereference: irq->irq_lock" },
        { nameof(VgicLpiParams.MutantCacheWaitsForGp), Variant.V7_2, "SlowInjectVsDiscard", Property.InjectionNeverWaitsForGp, "P-VG-L1: injector waits for an RCU grace period" },
    };

    [Theory]
    [MemberData(nameof(Mutants))]
    public void Mutant_IsCaughtByItsPropertysMonitor(string mutant, Variant variant, string scenario, Property property, string message)
    {
        TestReport report = Explore.Run(variant, Explore.Named(scenario), With(mutant, Explore.Only(property)), iterations: 3000);

        Assert.Contains(message, report.Bug?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Mutants))]
    public void WithoutTheMutant_TheSameBudgetFindsNothing(string mutant, Variant variant, string scenario, Property property, string message)
    {
        Assert.NotEmpty(mutant + message);
        TestReport report = Explore.Run(variant, Explore.Named(scenario), Explore.Only(property), iterations: 3000);

        Assert.Null(report.Bug);
    }

    private static VgicLpiParams With(string mutant, VgicLpiParams p) => mutant switch
    {
        nameof(VgicLpiParams.MutantPutKfree) => p with { MutantPutKfree = true },
        nameof(VgicLpiParams.MutantCacheGetWithoutTryGet) => p with { MutantCacheGetWithoutTryGet = true },
        nameof(VgicLpiParams.MutantReleaseSkipsLpiCount) => p with { MutantReleaseSkipsLpiCount = true },
        nameof(VgicLpiParams.MutantReleaseLeaks) => p with { MutantReleaseLeaks = true },
        nameof(VgicLpiParams.MutantPutUnderRawLocks) => p with { MutantPutUnderRawLocks = true },
        nameof(VgicLpiParams.MutantDiscardKeepsCache) => p with { MutantDiscardKeepsCache = true },
        nameof(VgicLpiParams.MutantNoNullTest) => p with { MutantNoNullTest = true },
        nameof(VgicLpiParams.MutantCacheWaitsForGp) => p with { MutantCacheWaitsForGp = true },
        _ => throw new ArgumentException($"No mutant {mutant}.", nameof(mutant)),
    };
}
