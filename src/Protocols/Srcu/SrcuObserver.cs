using Verify.Kernel.Machine;
using Verify.Protocols.Srcu.Monitors;
using Verify.Specifications;

namespace Verify.Protocols.Srcu;

/// <summary>Feeds kernel and SRCU observations to the SRCU monitors (unregistered ones ignore them).</summary>
internal sealed class SrcuObserver : IKernelObserver
{
    internal static SrcuObserver Instance { get; } = new();

    public void Observe(Monitor.Event e)
    {
        Specification.Monitor<GracePeriodGuarantee>(e);
        Specification.Monitor<SingleWriter>(e);
        Specification.Monitor<BoundedNoDelay>(e);
        Specification.Monitor<ExpeditedNoSleep>(e);
        Specification.Monitor<DelayInRange>(e);
        Specification.Monitor<NoUseAfterFree>(e);
    }
}
