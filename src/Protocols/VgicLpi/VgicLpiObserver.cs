using Verify.Kernel.Machine;
using Verify.Protocols.VgicLpi.Monitors;
using Verify.Specifications;

namespace Verify.Protocols.VgicLpi;

/// <summary>Feeds kernel and vGIC observations to the vGIC LPI monitors (unregistered ones ignore them).</summary>
internal sealed class VgicLpiObserver : IKernelObserver
{
    internal static VgicLpiObserver Instance { get; } = new();

    public void Observe(Monitor.Event e)
    {
        Specification.Monitor<NoUseAfterFree>(e);
        Specification.Monitor<NoGetFromZero>(e);
        Specification.Monitor<SlotIntegrity>(e);
        Specification.Monitor<NoLeak>(e);
        Specification.Monitor<LockClasses>(e);
        Specification.Monitor<CacheCoherence>(e);
        Specification.Monitor<InjectionNeverWaitsForGp>(e);
        Specification.Monitor<Publication>(e);
        Specification.Monitor<ApListIntegrity>(e);
    }
}
