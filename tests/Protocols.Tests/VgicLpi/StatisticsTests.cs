using Verify;
using Verify.Protocols;
using Verify.Protocols.VgicLpi;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.VgicLpi;

/// <summary>
/// `verify stats vgiclpi`: every variant has its rows, and the cached injection takes
/// lpi_list_lock as each version's code does (v6.7: the lookup only, with no reference to put;
/// v6.8: the lookup and the vgic_put_irq() after it; v6.9: the lookup, the put lockless; none from
/// the v2 design on).
/// </summary>
public sealed class StatisticsTests
{
    [Theory]
    [InlineData(Variant.V6_7, 1)]
    [InlineData(Variant.V6_8, 2)]
    [InlineData(Variant.V6_9V1, 1)]
    [InlineData(Variant.V6_9, 1)]
    [InlineData(Variant.SeedV2, 0)]
    [InlineData(Variant.V6_10, 0)]
    [InlineData(Variant.V6_17, 0)]
    [InlineData(Variant.V7_2, 0)]
    public void ACachedInjection_TakesLpiListLock_AsItsVersionDoes(Variant variant, int acquisitions)
    {
        StressConfig cfg = StressConfig.Table[1];
        var stats = new VgicLpiStatistics();
        TestingEngine engine = TestingEngine.Create(
            Configuration.Create().WithTestingIterations(1).WithRandomGeneratorSeed(0).WithRandomStrategy().WithMaxSchedulingSteps(2_000_000),
            r => VgicLpiModel.RunStress(r, variant, cfg, rounds: 2, maxTicks: 3000, stats));
        engine.Run();

        Assert.Null(engine.TestReport.Bug);
        Assert.Null(engine.TestReport.Error);
        Assert.Equal(cfg.Lpis, stats.Injections);
        Assert.Equal(cfg.Lpis, stats.CacheHits);
        Assert.Equal(acquisitions * cfg.Lpis, stats.LockAcquisitions.GetValueOrDefault("&dist->lpi_list_lock"));
    }

    [Fact]
    public void EveryVariant_HasItsRows_InBothPerVersionTables()
    {
        string doc = new VgicLpiProtocol().WriteStatistics(new Protocol.StatisticsOptions(1, 0, 3000), TextWriter.Null);
        string[] lines = doc.Split('\n');

        foreach (Variant v in Enum.GetValues<Variant>())
        {
            // One row per configuration in the counts, one in the cost model by version.
            Assert.Equal(StressConfig.Table.Count + 1, lines.Count(l => l.StartsWith($"| {v} ", StringComparison.Ordinal)));
        }
    }
}
