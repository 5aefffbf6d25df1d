using Verify.Kernel.Machine;
using Verify.Protocols.Qpw.Monitors;
using Verify.Specifications;

namespace Verify.Protocols.Qpw;

/// <summary>Feeds kernel and QPW observations to the QPW monitors (unregistered ones ignore them).</summary>
internal sealed class QpwObserver : IKernelObserver
{
    internal static QpwObserver Instance { get; } = new();

    public void Observe(Monitor.Event e)
    {
        Specification.Monitor<MutualExclusion>(e);
        Specification.Monitor<RightCpu>(e);
        Specification.Monitor<Conservation>(e);
        Specification.Monitor<DrainedByReturn>(e);
        Specification.Monitor<FlushCompletes>(e);
        Specification.Monitor<NoIsolatedInterference>(e);
        Specification.Monitor<FlushingBitCleared>(e);
    }
}
