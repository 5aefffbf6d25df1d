using Verify.Protocols;
using Verify.Protocols.VgicLpi;
using Xunit;

namespace Protocols.Tests.VgicLpi;

/// <summary>
/// <c>--param memory</c>: the weak modes run the publication scenarios, which erase nothing; a
/// scenario that erases under RCU (whose grace period is not tied to the memory) is refused in them,
/// and so is SeedV2's CachedInjectVsMapti, whose cache is not routed through the memory.
/// </summary>
public sealed class ParameterTests
{
    [Theory]
    [InlineData("V6_10.CachedInjectVsDiscard.NoUseAfterFree", "tso")]
    [InlineData("V7_2.PruneVsMapti.SlotIntegrity", "lkmm")]
    [InlineData("SeedV2.CachedInjectVsMapti.Publication", "lkmm")]
    public void AWeakMode_IsRefused_OutsideThePublicationScenarios(string scenario, string mode)
    {
        var ex = Assert.Throws<ScenarioParameterException>(() => new VgicLpiParameters().Build(scenario, [new("memory", mode)]));

        Assert.Contains($"--param memory={mode}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("runs under sc only", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("V6_10.InvlpiVsMapti.Publication", "lkmm")]
    [InlineData("V6_10.CachedInjectVsMaptiTso.Publication", "tso")]
    [InlineData("V6_10.CachedInjectVsDiscard.NoUseAfterFree", "sc")]
    public void SC_AndTheWeakModesOfThePublicationScenarios_AreAccepted(string scenario, string mode)
    {
        Assert.NotNull(new VgicLpiParameters().Build(scenario, [new("memory", mode)]));
    }
}
