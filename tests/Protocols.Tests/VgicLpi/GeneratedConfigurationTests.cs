using FsCheck;
using FsCheck.Fluent;
using Verify.Protocols.VgicLpi;
using Verify.SystematicTesting;
using Xunit;
using VgicProperty = Verify.Protocols.VgicLpi.Property;

namespace Protocols.Tests.VgicLpi;

/// <summary>
/// FsCheck makes small workloads (one or two LPIs at boot, cached or queued or neither; a sequence of
/// MAPTI, DISCARD, MOVI, INV and CLEAR commands; one or two injectors; a vCPU prune; a pending-table
/// sync; one or two vCPUs and cache entries) and the checker explores each one's schedules.
/// </summary>
public sealed class GeneratedConfigurationTests
{
    private const int Lpi0 = VgicLpiKernel.VGIC_MIN_LPI;

    private static readonly Gen<ItsCmd> Commands =
        from kind in Gen.Elements(ItsCmdKind.Mapti, ItsCmdKind.Discard, ItsCmdKind.Movi, ItsCmdKind.Inv, ItsCmdKind.Invall, ItsCmdKind.Clear)
        from ev in Gen.Choose(0, 1)
        select new ItsCmd(kind, ev, Lpi0 + ev);

    private static readonly Gen<LpiAtBoot> Lpis =
        from mapped in Gen.Elements(true, true, false)
        from cached in Gen.Elements(true, false)
        from queued in Gen.Elements(true, false)
        select new LpiAtBoot(Lpi0, mapped ? 0 : null, mapped && cached, queued || !mapped);

    /// <summary>Workloads, with a pending-table sync only where <paramref name="sync"/> allows it.</summary>
    private static Gen<Scenario> Workloads(bool sync) =>
        from lpi0 in Lpis
        from second in Gen.Elements(false, true)
        from commands in Commands.ListOf().Select(l => l.Take(3).ToList())
        from injections in Gen.Choose(0, 1).ListOf().Select(l => l.Take(2).ToList())
        from injections2 in Gen.Choose(0, 1).ListOf().Select(l => l.Take(1).ToList())
        from prune in Gen.Elements(false, true)
        from syncs in Gen.Elements(false, sync)
        from vcpus in Gen.Choose(1, 2)
        from cache in Gen.Choose(1, 2)
        select new Scenario
        {
            Name = "Generated",
            Lpis = second ? [lpi0, new LpiAtBoot(Lpi0 + 1, 1, Cached: false, Queued: false)] : [lpi0],
            ItsCommands = commands,
            Injections = injections,
            Injections2 = injections2,
            VcpuPrunes = prune,
            SyncsPendingTable = syncs,
            Vcpus = vcpus,
            CacheSize = cache,
        };

    /// <summary>
    /// Workloads around the prune's migration window: an LPI pending and queued on vCPU 0 (cached or
    /// not), up to three commands with MOVI among them, vCPU 0's prune, the target vCPU's prune, and a
    /// redistributor write clearing vCPU 0's EnableLPIs or none.
    /// </summary>
    private static readonly Gen<Scenario> MigrationWorkloads =
        from cached in Gen.Elements(true, false)
        from before in Commands.ListOf().Select(l => l.Take(1).ToList())
        from after in Commands.ListOf().Select(l => l.Take(1).ToList())
        from rdist in Gen.Elements(true, false)
        from injections in Gen.Choose(0, 1).ListOf().Select(l => l.Take(1).ToList())
        select new Scenario
        {
            Name = "GeneratedMigration",
            Vcpus = 2,
            Lpis = [new LpiAtBoot(Lpi0, 0, cached, Queued: true, Pending: true)],
            ItsCommands = [.. before, new ItsCmd(ItsCmdKind.Movi, 0, Lpi0), .. after],
            Injections = injections,
            VcpuPrunes = true,
            TargetPrunes = true,
            RdistDisablesLpis = rdist,
        };

    /// <summary>What the migration workloads are checked for: whole ap_lists (P-VG-S9) and no use-after-free (P-VG-S1).</summary>
    private static readonly VgicLpiParams MigrationChecks = VgicLpiParams.Minimal with { Properties = [VgicProperty.ApListIntegrity, VgicProperty.NoUseAfterFree] };

    /// <summary>Conservation of references and memory: no use-after-free, no leak, lpi_count equal to the live LPIs and each release erasing its own.</summary>
    private static readonly IReadOnlyList<VgicProperty> Conserved = [VgicProperty.NoUseAfterFree, VgicProperty.NoLeak, VgicProperty.SlotIntegrity, VgicProperty.NoGetFromZero];

    /// <summary>
    /// v6.8 and v7.2 conserve references and memory in these workloads (v6.9 to v6.17 lose an LPI's
    /// slot when MAPTI re-maps an INTID whose last reference a prune drops, P-VG-S3 in
    /// <c>PruneVsMapti</c>; generated workloads find the same). The workloads have no redistributor
    /// write and no second prune, so they leave out the tables' violations of these properties in
    /// those versions that need one: the prune's migration window (<c>MoviDiscardVsPruneFlush</c>,
    /// P-VG-S1 in both, P-VG-S2 in v7.2; see <see cref="MigrationWorkloads"/>) and v7.2's refcount
    /// underflow of concurrent invalidations (<c>RdistDisableVsDiscard</c>, P-VG-S2). v6.8's
    /// pending-table sync does not survive an LPI gone between the copy and the lookup (P-VG-S7), so
    /// its workloads have none.
    /// </summary>
    [Theory]
    [InlineData(Variant.V6_8)]
    [InlineData(Variant.V7_2)]
    public void FixedVersions_ConserveReferencesAndMemory_ForGeneratedCommandSequences(Variant variant)
    {
        FsChecks.Check(Prop.ForAll(Workloads(sync: variant != Variant.V6_8).ToArbitrary(), s =>
        {
            TestReport report = Explore.Run(variant, s, VgicLpiParams.Minimal with { Properties = Conserved }, iterations: 40, seed: 3);
            return report.Bug is null;
        }), seed: 20_261_206, maxTest: 40);
    }

    /// <summary>
    /// The proposed fix (the prune's re-check also requires irq->vcpu == vcpu) on v7.2 keeps the
    /// ap_lists whole and frees no LPI under a user across generated migration workloads, where the
    /// unfixed v7.2 corrupts the list or uses a freed LPI in some of them (the second test).
    /// </summary>
    [Fact]
    public void V7_2WithThePruneFix_KeepsApListsAndLifetimes_ForGeneratedMigrationWorkloads()
    {
        VgicLpiParams fixedRun = MigrationChecks with { FixPruneChecksVcpu = true };
        FsChecks.Check(Prop.ForAll(MigrationWorkloads.ToArbitrary(), s => Explore.Run(Variant.V7_2, s, fixedRun, iterations: 300, seed: 5).Bug is null), seed: 20_261_208, maxTest: 25);
    }

    [Fact]
    public void V7_2WithoutThePruneFix_BreaksApListsOrLifetimes_InSomeGeneratedMigrationWorkload()
    {
        int found = 0;
        FsChecks.Check(Prop.ForAll(MigrationWorkloads.ToArbitrary(), s =>
        {
            TestReport report = Explore.Run(Variant.V7_2, s, MigrationChecks, iterations: 300, seed: 5);
            found += report.Bug is null ? 0 : 1;
            return report.Error is null;
        }), seed: 20_261_208, maxTest: 25);

        Assert.True(found > 0);
    }

    [Fact]
    public void EveryCounterexample_OfAGeneratedWorkload_ReplaysToTheSameBug()
    {
        // Explore.Run replays each bug it finds from the trace text and asserts the same bug and no divergence.
        int found = 0;
        FsChecks.Check(Prop.ForAll(Workloads(sync: true).ToArbitrary(), s =>
        {
            TestReport report = Explore.Run(Variant.V6_7, s, VgicLpiParams.Minimal with { Properties = Conserved }, iterations: 40, seed: 7);
            found += report.Bug is null ? 0 : 1;
            return report.Error is null;
        }), seed: 20_261_206, maxTest: 40);

        Assert.True(found > 0);
    }
}
