using Verify;
using Verify.Protocols.Srcu;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.Srcu;

/// <summary>
/// The statistics' runs measure what they claim: back-to-back expedited grace periods all return,
/// 282d8998e997 sleeps where a grace period meets a tick and 8f870e6eb8c0 does not, and under the
/// vCPU reader the versions with a small no-delay budget sleep while 4f2bfd9494a0's does not.
/// </summary>
public sealed class StatisticsTests
{
    [Fact]
    public void WithNoReader_OnlyPreventConsumingCpu_Sleeps_AndItCostsTime()
    {
        SrcuStatistics baseline = Run(Variant.Baseline, 1000, 2000);
        SrcuStatistics consuming = Run(Variant.PreventConsumingCpu, 1000, 2000);
        SrcuStatistics fixedOne = Run(Variant.BlockLessAggressively, 1000, 2000);

        Assert.Equal(2000, consuming.Returned);
        Assert.Equal(0, baseline.Sleeps);
        Assert.True(consuming.Sleeps > 0);
        Assert.Equal(0, fixedOne.Sleeps);
        Assert.True(consuming.ElapsedUs > fixedOne.ElapsedUs);
    }

    [Fact]
    public void WithTheVcpuReader_TheSmallBudgetsSleep_AndNeerajsDoesNot()
    {
        var load = new ReaderLoad(MeanHoldUs: 1000, OneIn: 2);

        Assert.True(Run(Variant.PreventConsumingCpu, 250, 1000, load).Sleeps > 0);
        Assert.Equal(0, Run(Variant.BlockEvenLess, 250, 1000, load).Sleeps);
        Assert.Equal(0, Run(Variant.Baseline, 250, 1000, load).Sleeps);
    }

    private static SrcuStatistics Run(Variant variant, int hz, int gps, ReaderLoad? load = null)
    {
        var stats = new SrcuStatistics(load) { Target = gps, NsPerStatement = 250 };
        var p = SrcuParams.Minimal with
        {
            HZ = hz,
            Gps = gps,
            StatementsPerJiffy = 1_000_000_000 / hz / 250,
            NsPerStatement = 250,
            WorkerCpu = 0,
            MaxTicks = (gps * 12) + 100,
            Statistics = stats,
        };
        var scenario = new Scenario { Name = "BackToBack", LoadReader = load is not null, Gps = gps };
        Configuration config = Configuration.Create().WithTestingIterations(1).WithRandomGeneratorSeed(0).WithRandomStrategy().WithMaxSchedulingSteps(int.MaxValue / 10);
        TestingEngine engine = TestingEngine.Create(config, r => SrcuModel.Run(r, variant, scenario, p));
        engine.Run();
        Assert.Null(engine.TestReport.Error);
        Assert.Null(engine.TestReport.Bug);
        Assert.True(stats.Done);
        return stats;
    }
}
