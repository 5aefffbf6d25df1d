using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.Qpw.Monitors;

/// <summary>P-QPW-S2: code touches D[c] only holding L[c], the lock of the same CPU.</summary>
public sealed class RightCpu : Monitor
{
    [Start]
    [OnEventDoAction(typeof(PcpAccessed), nameof(OnAccess))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnAccess(Event e)
    {
        var a = (PcpAccessed)e;
        if (a.LockCpu < 0)
        {
            Assert(false, "P-QPW-S2: {0} on cpu{1} touched D[{2}] holding no QPW lock.", a.Task, a.TaskCpu, a.Cpu);
        }

        Assert(a.LockCpu == a.Cpu,
            "P-QPW-S2: {0} on cpu{1} holds L[{2}] but touched D[{3}]: the lock and the data are of different CPUs.",
            a.Task, a.TaskCpu, a.LockCpu, a.Cpu);
    }
}
