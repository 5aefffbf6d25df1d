using Verify.Kernel.Machine;
using Verify.Protocols.KvmRcu.Monitors;
using Verify.Specifications;

namespace Verify.Protocols.KvmRcu;

/// <summary>Feeds kernel observations and the vCPU's guest entries to the KVM/RCU latency monitors (unregistered ones ignore them).</summary>
internal sealed class KvmRcuObserver : IKernelObserver
{
    internal static KvmRcuObserver Instance { get; } = new();

    public void Observe(Monitor.Event e)
    {
        Specification.Monitor<NoRcucWakeupBeforeReentry>(e);
        Specification.Monitor<NoSuppressionWithoutReentry>(e);
        Specification.Monitor<NoRcucWakeupEnteringIdle>(e);
        Specification.Monitor<NoSuppressionOfAnOldGracePeriod>(e);
    }
}
