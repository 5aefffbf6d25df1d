using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.Qpw.Monitors;

/// <summary>P-QPW-S3: after every update of D[c], the items added to it equal those drained from it plus those it holds: none lost, none drained twice.</summary>
public sealed class Conservation : Monitor
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
        if (a.Store && a.Added != a.Drained + a.Nr)
        {
            Assert(false,
                "P-QPW-S3: after {0}'s store D[{1}] holds {2} items, but {3} were added and {4} drained: {5}.",
                a.Task, a.Cpu, a.Nr, a.Added, a.Drained, a.Added > a.Drained + a.Nr ? "an update was lost" : "items were counted twice");
        }
    }
}
