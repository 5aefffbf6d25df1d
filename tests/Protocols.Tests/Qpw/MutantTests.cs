using Verify.Protocols.Qpw;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.Qpw;

/// <summary>
/// Each property the verdict table shows holding everywhere is falsifiable in the configuration its
/// cells use: the fast path that resolves this CPU's lock before migrate_disable() (QPW spinlock
/// mode), with the owner migrated between the two, locks L[0] but updates D[1] while the drainer
/// drains D[1] under L[1]: the wrong CPU (S2), two tasks inside D[1] at once (S1), and a lost
/// update (S3). Without the mutant the same configuration holds.
/// </summary>
public sealed class MutantTests
{
    private static readonly Scenario Migrates = Explore.Named("OwnerMigratesLru");

    private static readonly QpwParams Mutant = QpwParams.Minimal with { MutantCpuReadBeforePin = true };

    [Theory]
    [InlineData(Property.RightCpu, "P-QPW-S2")]
    [InlineData(Property.MutualExclusion, "P-QPW-S1: ")]
    [InlineData(Property.MutualExclusion, "(cpu_fbatches.lru_add of cpu")]
    [InlineData(Property.Conservation, "P-QPW-S3")]
    public void CpuReadBeforePin_IsCaught(Property property, string tag)
    {
        TestReport report = Explore.Run(Variant.QpwV2Rt, Migrates, Mutant with { Properties = [property] }, iterations: 5000, strategy: "random");

        Assert.Contains(tag, report.Bug?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Property.RightCpu)]
    [InlineData(Property.MutualExclusion)]
    [InlineData(Property.Conservation)]
    public void WithoutTheMutant_TheSameBudgetFindsNothing(Property property)
    {
        TestReport report = Explore.Run(Variant.QpwV2Rt, Migrates, Explore.Only(property), iterations: 5000, strategy: "random");

        Assert.Null(report.Bug);
    }

    [Fact]
    public void CpuReadBeforePin_ShortestCounterexample_IsFoundByBreadthFirstSearch()
    {
        TestingEngine engine = Explore.Stateful(Variant.QpwV2Rt, Migrates, Mutant with { Properties = [Property.RightCpu] }, "stateful-bfs");

        Assert.Contains("holds L[0] but touched D[1]", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        Assert.Contains("move_queued_task(owner -> cpu1)", engine.ReadableTrace, StringComparison.Ordinal);
    }
}
