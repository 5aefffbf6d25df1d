using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;
using ProtocolQpw = Verify.Protocols.Qpw;
using ProtocolSrcu = Verify.Protocols.Srcu;
using ProtocolVgic = Verify.Protocols.VgicLpi;

namespace Protocols.Tests;

/// <summary>
/// The [Frozen] fields of the substrate (lock classes and names, task names, memory locations,
/// the widths and owners of per-CPU words, slab caches) and of the vGIC, SRCU and QPW models
/// (variant, parameters, module parameters, caller names) never change after a model is built: a
/// stateful search that hashes them at every state finds no change, and counts the states and
/// transitions it counts without the check. Each search is bounded; a change within its states
/// fails it. KVM/RCU's own cells are checked by <c>KvmRcu.FrozenFieldTests</c>.
/// </summary>
public sealed class FrozenFieldTests
{
    private const long States = 5_000;

    public static TheoryData<string, string> Cells => new()
    {
        { "VgicLpi", "CachedInjectVsPrune" },
        { "VgicLpi", "InvlpiVsMaptiTso" },
        { "Srcu", "MemslotsLkmm" },
        { "Qpw", "TwoDrainersMemcg" },
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void FrozenFields_NeverChange_OverABoundedSearch(string protocol, string scenario)
    {
        Action<IActorRuntime> body = Body(protocol, scenario);
        TestReport plain = ModelRuns.Checked(Search(), body).TestReport;
        TestReport checkedRun = ModelRuns.Checked(Search().WithFrozenFieldCheck(), body).TestReport;

        Assert.Null(checkedRun.Error);
        Assert.Equal(plain.StateSpace!.States, checkedRun.StateSpace!.States);
        Assert.Equal(plain.StateSpace!.Transitions, checkedRun.StateSpace!.Transitions);
        Assert.True(checkedRun.StateSpace!.States > 1_000, $"{protocol}.{scenario} reached only {checkedRun.StateSpace!.States} states");
    }

    private static Configuration Search() => ModelRuns.Stateful("stateful-dfs").WithMaxStates(States);

    private static Action<IActorRuntime> Body(string protocol, string scenario) => protocol switch
    {
        "VgicLpi" => r => ProtocolVgic.VgicLpiModel.Run(r, ProtocolVgic.Variant.V7_2, ProtocolVgic.Scenario.All.Single(s => s.Name == scenario), new ProtocolVgic.VgicLpiParams { MaxTicks = 1 }),
        "Srcu" => r => ProtocolSrcu.SrcuModel.Run(r, ProtocolSrcu.Variant.ForceSynchronization, ProtocolSrcu.Scenario.Named(scenario), new ProtocolSrcu.SrcuParams()),
        _ => r => ProtocolQpw.QpwModel.Run(r, ProtocolQpw.Variant.QpwV2Rt, ProtocolQpw.Scenario.All.Single(s => s.Name == scenario), ProtocolQpw.QpwParams.Minimal with { Properties = [ProtocolQpw.Property.MutualExclusion] }),
    };
}
