using Verify.Protocols.Srcu;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.Srcu;

/// <summary>
/// Each property is falsifiable in the configuration its verdict cells use: a deliberately broken
/// kernel makes its monitor fire in a version and scenario where the same budget finds nothing
/// without it.
/// </summary>
public sealed class MutantTests
{
    // The P-SR-L2 row's budget is small: with thousands of iterations the sampler also finds the
    // schedules that stall the updater inside its own srcu_read_lock() for the whole no-delay budget,
    // a violation of the real kernel that the verdict table reports for NoReaders.
    public static TheoryData<Variant, string, Property, string, string, int> Mutants => new()
    {
        { Variant.ForceSynchronization, "SleepingReader", Property.GracePeriodGuarantee, "MutantSkipScan2", "P-SR-S1", 2000 },
        { Variant.ForceSynchronization, "SecondUpdater", Property.SingleWriter, "MutantGetDelayUnlocked", "P-SR-S2", 2000 },
        { Variant.PreventConsumingCpu, "SleepingReader", Property.BoundedNoDelay, "MutantNoNodelayCount", "P-SR-L1", 2000 },
        { Variant.BlockEvenLess, "SleepingReader", Property.BoundedNoDelay, "MutantNoNodelayCount", "P-SR-L1", 300 },
        { Variant.ForceSynchronization, "SecondUpdater", Property.BoundedNoDelay, "MutantNoNodelayCount", "P-SR-L1", 300 },
        { Variant.ForceSynchronization, "GpStartsBeforeTick", Property.ExpeditedNoSleep, "MutantCbdelayAlways", "P-SR-L2", 200 },
        { Variant.ForceSynchronization, "CleanupRacesWorker", Property.DelayInRange, "MutantExpeditedOffByOne", "P-SR-L3", 2000 },
    };

    [Theory]
    [MemberData(nameof(Mutants))]
    public void Mutant_IsCaught(Variant variant, string scenario, Property property, string mutant, string tag, int iterations)
    {
        TestReport report = Explore.Run(variant, Scenario.Named(scenario), Mutate(Explore.Cell(variant, property), mutant), iterations: (uint)iterations);

        Assert.Contains(tag, report.Bug?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Mutants))]
    public void WithoutTheMutant_TheSameBudgetFindsNothing(Variant variant, string scenario, Property property, string mutant, string tag, int iterations)
    {
        _ = (mutant, tag);
        TestReport report = Explore.Run(variant, Scenario.Named(scenario), Explore.Cell(variant, property), iterations: (uint)iterations);

        Assert.Null(report.Bug);
    }

    [Fact]
    public void NoIntervalCap_IsCaught_WhenAReaderSleepsPastTenJiffies()
    {
        SrcuParams p = Explore.Only(Property.DelayInRange) with { MutantNoIntervalCap = true };

        TestReport report = Explore.Run(Variant.ForceSynchronization, Scenario.Named("LongSleepingReader"), p, iterations: 200);

        Assert.Contains("outside [0, 10]", report.Bug?.Message, StringComparison.Ordinal);
    }

    private static SrcuParams Mutate(SrcuParams p, string mutant) => mutant switch
    {
        "MutantSkipScan2" => p with { MutantSkipScan2 = true },
        "MutantGetDelayUnlocked" => p with { MutantGetDelayUnlocked = true },
        "MutantNoNodelayCount" => p with { MutantNoNodelayCount = true },
        "MutantCbdelayAlways" => p with { MutantCbdelayAlways = true },
        "MutantExpeditedOffByOne" => p with { MutantExpeditedOffByOne = true },
        _ => throw new ArgumentException(mutant),
    };
}
