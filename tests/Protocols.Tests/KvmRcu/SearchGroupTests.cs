using Verify.Protocols.KvmRcu;
using Xunit;

namespace Protocols.Tests.KvmRcu;

/// <summary>
/// `verify verdicts KvmRcu --exhaustive` searches a variant x scenario's cells together only where
/// their own tests run the same configuration: each property picks its jiffies and FQS delay
/// (<see cref="KvmRcuModel.TicksFor"/>, <see cref="KvmRcuModel.FqsFor"/>), so the guarantee (FQS at
/// once), the two grace-period-age properties (the longer clock) and the three window properties
/// are three groups, and a body asked for properties of two groups refuses.
/// </summary>
public sealed class SearchGroupTests
{
    private static readonly KvmRcuProtocol Protocol = new();

    [Fact]
    public void TheSixPropertiesOfAVariantAndScenario_AreThreeGroups_ByJiffiesAndFqsDelay()
    {
        List<IGrouping<string?, Property>> groups = Enum.GetValues<Property>()
            .GroupBy(p => Protocol.SearchGroup($"C.GuestHlt.{p}"))
            .ToList();

        Assert.Equal(3, groups.Count);
        Assert.All(groups, g => Assert.StartsWith("C.GuestHlt", g.Key, StringComparison.Ordinal));
        Assert.Equal([Property.GracePeriodGuarantee], groups.Single(g => g.Contains(Property.GracePeriodGuarantee)));
        Assert.Equal([Property.GracePeriodCompletion, Property.NoSuppressionOfAnOldGracePeriod], groups.Single(g => g.Contains(Property.GracePeriodCompletion)).Order());
        Assert.Equal(
            [Property.NoRcucWakeupBeforeReentry, Property.NoSuppressionWithoutReentry, Property.NoRcucWakeupEnteringIdle],
            groups.Single(g => g.Contains(Property.NoRcucWakeupEnteringIdle)).Order());
        Assert.NotEqual(Protocol.SearchGroup("C.GuestHlt.NoRcucWakeupEnteringIdle"), Protocol.SearchGroup("C.SteadyGuest.NoRcucWakeupEnteringIdle"));
    }

    [Fact]
    public void ABody_ForPropertiesOfTwoConfigurations_Refuses()
    {
        Assert.NotNull(Protocol.SearchBody("C", "GuestHlt", ["GracePeriodCompletion", "NoSuppressionOfAnOldGracePeriod"]));
        Assert.Throws<ArgumentException>(() => Protocol.SearchBody("C", "GuestHlt", ["GracePeriodGuarantee", "NoRcucWakeupEnteringIdle"]));
        Assert.Throws<ArgumentException>(() => Protocol.SearchBody("C", "GuestHlt", ["GracePeriodCompletion", "NoRcucWakeupEnteringIdle"]));
    }
}
