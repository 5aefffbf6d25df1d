using Verify.Kernel.Work;
using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.Qpw.Monitors;

/// <summary>
/// P-QPW-L2: once a CPU's isolation is in force, no remote drain delivers work to it: no
/// queue_work_on() there (a wakeup of its kworker, and an IPI when the CPU is elsewhere). Work
/// queued before the isolation came into force was delivered to a CPU that was not isolated then;
/// that its kworker runs it afterwards is not a delivery (the kernel's cpuset update flushes the
/// memcg stock work queued there for that reason, and leaves LRU and SLUB work to run).
/// </summary>
public sealed class NoIsolatedInterference : Monitor
{
    private int inForce;

    [Start]
    [OnEventDoAction(typeof(IsolationInForce), nameof(OnIsolated))]
    [OnEventDoAction(typeof(WorkQueued), nameof(OnQueued))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnIsolated(Event e) => inForce |= 1 << ((IsolationInForce)e).Cpu;

    private void OnQueued(Event e)
    {
        var w = (WorkQueued)e;
        Assert((inForce & (1 << w.Cpu)) == 0,
            "P-QPW-L2: {0} was queued on isolated cpu{1}{2}.",
            w.Work, w.Cpu, w.WokeWorker ? ", waking its kworker" : string.Empty);
    }
}
