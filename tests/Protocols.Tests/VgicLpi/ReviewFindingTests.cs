using Verify;
using Verify.Protocols.VgicLpi;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.VgicLpi;

/// <summary>
/// Where the kernel's order or lockdep's reporting decides a cell: MAPD V=0 frees the device's ITEs
/// before it invalidates the cache; a recursive acquisition is a lock-class report of its own cell,
/// not a failure of every property of the run; and only scenarios that inject say anything about
/// cache coherence or the injection path.
/// </summary>
public sealed class ReviewFindingTests
{
    /// <summary>
    /// In v6.9 vgic_its_free_device() puts the ITE's reference first, so the cache's is the last one
    /// when the invalidation drops it, inside the raw lpi_list_lock: the release takes xa_lock there.
    /// </summary>
    [Theory]
    [InlineData(Variant.V6_9, "CachedInjectVsMapdUnmap")]
    [InlineData(Variant.V6_9V1, "InvallrVsMapdUnmap")]
    public void V6_9_MapdUnmap_DropsTheCachesLastReferenceUnderLpiListLock(Variant variant, string scenario)
    {
        TestingEngine engine = Explore.Stateful(variant, Explore.Named(scenario), Explore.Only(Property.LockClasses), "stateful-bfs");

        Assert.Contains("P-VG-S5: BUG: Invalid wait context: ", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("while holding lpi_list_lock (raw_spinlock_t)", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// v6.10's failed __xa_store() calls xa_release() under its own xa_lock: lockdep's recursive
    /// locking report fails the lock-class cell, and the task deadlocks there, which fails no other.
    /// </summary>
    [Fact]
    public void V6_10_FailedStore_IsRecursiveLocking_InTheLockClassCellOnly()
    {
        TestingEngine engine = Explore.Stateful(Variant.V6_10, Explore.Named("PruneVsMaptiNoMem"), Explore.Only(Property.LockClasses), "stateful-bfs");
        Assert.Contains("P-VG-S5: WARNING: possible recursive locking detected: its_cmd takes lpi_xa.xa_lock, which it already holds.", engine.TestReport.Bug?.Message, StringComparison.Ordinal);

        TestReport others = Explore.Run(Variant.V6_10, Explore.Named("PruneVsMaptiNoMem"), Explore.Only(Property.NoUseAfterFree), iterations: VgicLpiProtocol.RareRaceIterations);
        Assert.DoesNotContain("recursive locking", others.Bug?.Message ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyScenariosThatInject_HaveCacheCoherenceAndInjectionCells()
    {
        foreach (Scenario s in Scenario.All)
        {
            bool injects = s.Injections.Count + s.Injections2.Count > 0;
            Assert.True(injects || !s.Properties.Contains(Property.CacheCoherence), $"{s.Name} injects nothing but has a CacheCoherence cell.");
            Assert.True(injects || !s.Properties.Contains(Property.InjectionNeverWaitsForGp), $"{s.Name} injects nothing but has an InjectionNeverWaitsForGp cell.");
        }
    }
}
