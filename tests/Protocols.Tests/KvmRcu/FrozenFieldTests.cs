using Verify;
using Verify.Protocols.KvmRcu;
using Verify.SystematicTesting;
using Xunit;
using KvmProperty = Verify.Protocols.KvmRcu.Property;

namespace Protocols.Tests.KvmRcu;

/// <summary>
/// The substrate's and the model's [Frozen] fields (configuration, hooks, task names, the vCPU's
/// script) never change after the model is built: an exhaustive search of small configurations
/// that hashes them at every state finds no change, and counts the states it counts without the check.
/// </summary>
public sealed class FrozenFieldTests
{
    /// <remarks>
    /// The check deep-hashes every frozen field at every state, about 17 times the search's own cost
    /// (A.GuestHlt within two jiffies: 82,417 states, 2 s unchecked, 37 s checked), so GuestHlt runs
    /// within one jiffy (6,032 states) and SteadyGuest within two (45,323).
    /// </remarks>
    [Theory]
    [InlineData(Variant.C, "SteadyGuest", 2)]
    [InlineData(Variant.A, "GuestHlt", 1)]
    public void FrozenFields_NeverChange_OverAnExhaustiveSearch(Variant variant, string scenario, int maxTicks)
    {
        Scenario s = scenario == "GuestHlt" ? Scenario.GuestHlt : Scenario.SteadyGuest;
        KvmRcuParams p = Explore.Only(KvmProperty.GracePeriodGuarantee) with { MaxTicks = maxTicks, Callbacks = 0 };
        TestReport plain = ModelRuns.Checked(ModelRuns.Stateful("stateful-dfs"), r => KvmRcuModel.Run(r, variant, s, p)).TestReport;
        TestReport checkedRun = ModelRuns.Checked(ModelRuns.Stateful("stateful-dfs").WithFrozenFieldCheck(), r => KvmRcuModel.Run(r, variant, s, p)).TestReport;

        Assert.Null(checkedRun.Error);
        Assert.True(checkedRun.Exhausted);
        Assert.Equal(plain.StateSpace!.States, checkedRun.StateSpace!.States);
        Assert.Equal(plain.StateSpace!.Transitions, checkedRun.StateSpace!.Transitions);
    }
}
