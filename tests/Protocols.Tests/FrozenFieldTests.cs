using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;
using ProtocolCt = Verify.Protocols.ContextTracking;
using ProtocolQpw = Verify.Protocols.Qpw;
using ProtocolSrcu = Verify.Protocols.Srcu;
using ProtocolVgic = Verify.Protocols.VgicLpi;

namespace Protocols.Tests;

/// <summary>
/// The [Frozen] fields of the substrate (lock classes and names, task names, memory locations,
/// the widths and owners of per-CPU words, slab caches) and of the vGIC, SRCU and QPW models
/// (variant, parameters, module parameters, caller names) never change after a model is built: a
/// stateful search that hashes them at every state finds no change (a change is a state-capture
/// error, which fails the run). The QPW and context-tracking cells are small enough to exhaust, and
/// there the checked search also counts the states and transitions of the search without the check;
/// the vGIC and SRCU searches stop at a bound. KVM/RCU's own cells are checked by
/// <c>KvmRcu.FrozenFieldTests</c>.
/// </summary>
public sealed class FrozenFieldTests
{
    private const long States = 2_000;

    public static TheoryData<string, string> Cells => new()
    {
        { "VgicLpi", "CachedInjectVsPrune" },
        { "VgicLpi", "InvlpiVsMaptiTso" },
        { "Srcu", "MemslotsLkmm" },
        { "Qpw", "OwnerMemcg" },
        { "ContextTracking", "RangeFlushSyscallLkmm" },
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void FrozenFields_NeverChange_OverTheSearch(string protocol, string scenario)
    {
        (Configuration search, bool exhausts) = protocol is "Qpw" or "ContextTracking"
            ? (ModelRuns.Stateful("stateful-dfs"), true)
            : (ModelRuns.Stateful("stateful-dfs").WithMaxStates(States), false);
        Action<IActorRuntime> body = Body(protocol, scenario);

        TestReport checkedRun = ModelRuns.Checked(search.WithFrozenFieldCheck(), body).TestReport;

        Assert.Null(checkedRun.Bug);
        if (exhausts)
        {
            TestReport plain = ModelRuns.Checked(search, body).TestReport;
            Assert.True(checkedRun.Exhausted);
            Assert.Equal(plain.StateSpace!.States, checkedRun.StateSpace!.States);
            Assert.Equal(plain.StateSpace!.Transitions, checkedRun.StateSpace!.Transitions);
        }
        else
        {
            Assert.Equal(States, checkedRun.StateSpace!.States);
        }
    }

    private static Action<IActorRuntime> Body(string protocol, string scenario) => protocol switch
    {
        "VgicLpi" => r => ProtocolVgic.VgicLpiModel.Run(r, ProtocolVgic.Variant.V7_2, ProtocolVgic.Scenario.All.Single(s => s.Name == scenario), new ProtocolVgic.VgicLpiParams { MaxTicks = 1 }),
        "Srcu" => r => ProtocolSrcu.SrcuModel.Run(r, ProtocolSrcu.Variant.ForceSynchronization, ProtocolSrcu.Scenario.Named(scenario), new ProtocolSrcu.SrcuParams()),
        "Qpw" => r => ProtocolQpw.QpwModel.Run(r, ProtocolQpw.Variant.QpwV2Rt, ProtocolQpw.Scenario.All.Single(s => s.Name == scenario), ProtocolQpw.QpwParams.Minimal with { Properties = [ProtocolQpw.Property.MutualExclusion] }),
        "ContextTracking" => r => ProtocolCt.ContextTrackingModel.Run(r, ProtocolCt.Variant.V6Intended, ProtocolCt.Scenario.All.Single(s => s.Name == scenario), ProtocolCt.CtParams.Minimal with { Properties = [ProtocolCt.Property.NoLostWork] }),
        _ => throw new ArgumentException($"No protocol {protocol}.", nameof(protocol)),
    };
}
