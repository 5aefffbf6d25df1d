using Verify;
using Verify.Protocols.KvmRcu;
using Verify.SystematicTesting;
using Xunit;
using KvmProperty = Verify.Protocols.KvmRcu.Property;

namespace Protocols.Tests.KvmRcu;

/// <summary>
/// The seeded bug of the kernel model under the stateful searches: the broken ct_irq_enter() is found
/// by breadth-first search with and without partial-order reduction, with the same shortest length,
/// and depth-first search exhausts the correct kernel's space of the same configuration clean.
/// </summary>
public sealed class ExhaustiveMutantTests
{
    private static readonly KvmRcuParams Broken =
        Explore.Only(KvmProperty.GracePeriodGuarantee) with { MutantIrqEnterDoesNotWatch = true, JiffiesTillFqs = 0, MaxTicks = 2 };

    [Fact]
    public void BrokenCtIrqEnter_IsFoundWithAndWithoutReduction_AtTheSameShortestLength()
    {
        (TestReport full, int fullSteps) = Search(Broken, reduce: false);
        (TestReport reduced, int reducedSteps) = Search(Broken, reduce: true);

        Assert.Equal(BugKind.Assertion, full.Bug?.Kind);
        Assert.Equal(BugKind.Assertion, reduced.Bug?.Kind);
        Assert.Contains("is still in its critical section", full.Bug!.Message, StringComparison.Ordinal);
        Assert.Equal(fullSteps, reducedSteps);
    }

    [Fact]
    public void CorrectCtIrqEnter_IsExhaustedClean_InTheSameConfiguration()
    {
        (TestReport report, _) = Search(Broken with { MutantIrqEnterDoesNotWatch = false }, reduce: false, search: "stateful-dfs");

        ModelRuns.AssertExhaustedClean(report);
    }

    private static (TestReport Report, int TraceSteps) Search(KvmRcuParams p, bool reduce, string search = "stateful-bfs")
    {
        TestingEngine engine = Explore.Stateful(Variant.M, Scenario.GuestHlt, p, search, reduce);
        return (engine.TestReport, Explore.TraceSteps(engine));
    }
}
