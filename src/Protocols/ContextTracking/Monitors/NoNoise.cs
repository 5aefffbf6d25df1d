using Verify.Actors;
using Verify.Kernel.ContextTracking;
using Verify.Specifications;

namespace Verify.Protocols.ContextTracking.Monitors;

/// <summary>P-CT-L1: an isolated CPU in user space or idle receives no deferrable IPI (do_sync_core, do_kernel_range_flush).</summary>
public sealed class NoNoise : Monitor
{
    [Start]
    [OnEventDoAction(typeof(CtIpiReceived), nameof(OnIpi))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnIpi(Event e)
    {
        var i = (CtIpiReceived)e;
        if (i.State is CtState.User or CtState.Idle)
        {
            Assert(false, "P-CT-L1: cpu{0}, isolated and in {1}, received a {2} IPI.", i.Cpu, CtKernel.Name(i.State), i.Func);
        }
    }
}
