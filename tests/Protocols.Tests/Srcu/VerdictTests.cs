using Verify.Protocols.Srcu;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.Srcu;

/// <summary>
/// The findings the verdict table reports, each checked by sampling with a fixed seed (its
/// counterexample replayed from the trace), or by a budget that finds nothing where the version holds.
/// </summary>
public sealed class VerdictTests
{
    [Theory]
    [InlineData(Variant.PreventConsumingCpu)]
    [InlineData(Variant.BlockLessAggressively)]
    [InlineData(Variant.BlockEvenLess)]
    public void FunnelPathAndWorker_LoseAnUpdateOfTheNodelayCounter_BeforeTheLock(Variant variant)
    {
        TestingEngine engine = Explore.Engine(variant, Scenario.Named("SecondUpdater"), Explore.Only(Property.SingleWriter), iterations: 3000);

        Assert.Contains("P-SR-S2", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("srcu_n_exp_nodelay", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("srcu_funnel_gp_start", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void ExclusiveWriterAsserts_ReportTheRace_AsKcsan()
    {
        TestReport report = Explore.Run(Variant.ConcurrentUpdateAsserts, Scenario.Named("SecondUpdater"), Explore.Only(Property.SingleWriter), iterations: 3000);

        Assert.Contains("BUG: KCSAN: assert: race in srcu_get_delay", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForceSynchronization_HasOneWriter()
    {
        TestReport report = Explore.Run(Variant.ForceSynchronization, Scenario.Named("SecondUpdater"), Explore.Only(Property.SingleWriter), iterations: 3000);

        Assert.Null(report.Bug);
    }

    /// <summary>
    /// The version before 282d8998e997 breaks 282d8998e997's bound of one zero delay per phase. It
    /// records no grace-period start, so no violation of it may be judged by the grace period's age.
    /// </summary>
    [Theory]
    [InlineData("SleepingReader")]
    [InlineData("CleanupRacesWorker")]
    [InlineData("GpStartsBeforeTick")]
    public void Baseline_ReschedulesWithZeroDelay_WithoutBound(string scenario)
    {
        TestReport report = Explore.Run(Variant.Baseline, Scenario.Named(scenario), Explore.Only(Property.BoundedNoDelay), iterations: 300);

        Assert.Contains("P-SR-L1: process_srcu() rescheduled itself with zero delay 2 times in grace-period phase", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTheNodelayBudget_ZeroDelaysPerPhaseAreUnbounded()
    {
        TestReport report = Explore.Run(Variant.BlockLessWithoutNodelayBudget, Scenario.Named("SleepingReader"), Explore.Only(Property.BoundedNoDelay), iterations: 300);

        Assert.Contains("in grace-period phase", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.PreventConsumingCpu)]
    [InlineData(Variant.ForceSynchronization)]
    public void BoundedVersions_KeepTheNodelayBound(Variant variant)
    {
        TestReport report = Explore.Run(variant, Scenario.Named("SleepingReader"), Explore.Cell(variant, Property.BoundedNoDelay), iterations: 300);

        Assert.Null(report.Bug);
    }

    [Fact]
    public void PreventConsumingCpu_SleepsWithNoReader_WhenTheGracePeriodMeetsATick()
    {
        TestingEngine engine = Explore.Engine(Variant.PreventConsumingCpu, Scenario.Named("GpStartsBeforeTick"), Explore.Only(Property.ExpeditedNoSleep), iterations: 300);

        Assert.Contains("P-SR-L2", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("do_timer", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFixedJiffyArithmetic_DoesNotSleep_WhenTheGracePeriodMeetsATick()
    {
        TestReport report = Explore.Run(Variant.BlockEvenLess, Scenario.Named("GpStartsBeforeTick"), Explore.Only(Property.ExpeditedNoSleep), iterations: 300);

        Assert.Null(report.Bug);
    }

    [Theory]
    [InlineData(Property.GracePeriodGuarantee)]
    [InlineData(Property.DelayInRange)]
    public void EveryVersion_KeepsTheGuaranteeAndTheRange_WithASleepingReader(Property property)
    {
        foreach (Variant v in Enum.GetValues<Variant>())
        {
            TestReport report = Explore.Run(v, Scenario.Named("SleepingReader"), Explore.Only(property), iterations: 100);

            Assert.Null(report.Bug);
        }
    }

    [Fact]
    public void TheReaderIsReallyWaitedFor_InTheSleepingReaderScenario()
    {
        // Reachability: some schedule makes the worker find the sleeping reader and poll again.
        TestingEngine engine = Explore.Engine(Variant.BlockEvenLess, Scenario.Named("SleepingReader"), Explore.Only(Property.GracePeriodGuarantee) with { MutantSkipScan2 = true }, iterations: 300);

        Assert.Contains("P-SR-S1", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("reader: schedule_hrtimeout", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void OneBackToBackUpdater_RacesTheWorkersLastPass_OnTheNodelayCounter()
    {
        TestingEngine engine = Explore.Engine(Variant.PreventConsumingCpu, Scenario.Named("NoReaders"), Explore.Only(Property.SingleWriter), iterations: SrcuProtocol.SingleWriterIterations);

        Assert.Contains("P-SR-S2", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("srcu_n_exp_nodelay", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("updater2", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("synchronize_srcu_expedited returns", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Variant.BlockEvenLess)]
    [InlineData(Variant.ForceSynchronization)]
    public void TheUpdatersOwnReadSection_HeldAcrossATick_IsABlockingReader(Variant variant)
    {
        TestReport report = Explore.Run(variant, Scenario.Named("NoReaders"), Explore.Only(Property.ExpeditedNoSleep), iterations: 300);

        Assert.Null(report.Bug);
    }

    [Fact]
    public void TheSleepMessage_NamesTheUpdatersOwnSection_WhenTheScanFailedOnIt()
    {
        TestReport report = Explore.Run(Variant.BlockLessAggressively, Scenario.Named("NoReaders"), Explore.Only(Property.ExpeditedNoSleep), iterations: 300);

        Assert.Contains("on which the reader scan failed", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSleepMessage_SaysNoReaderAtAll_WhenTheCallbacksWaitForATick()
    {
        TestReport report = Explore.Run(Variant.PreventConsumingCpu, Scenario.Named("GpStartsBeforeTick"), Explore.Only(Property.ExpeditedNoSleep), iterations: 300);

        Assert.Contains("no reader at all", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLongSleepingReader_KeepsEveryDelayInRange()
    {
        TestReport report = Explore.Run(Variant.ForceSynchronization, Scenario.Named("LongSleepingReader"), Explore.Only(Property.DelayInRange), iterations: SrcuProtocol.LongSleepingReaderIterations);

        Assert.Null(report.Bug);
    }
}
