using Verify.Kernel.Work;
using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.Qpw.Monitors;

/// <summary>
/// P-QPW-L2: once a CPU's isolation is in force, no remote drain queues work to it (a wakeup of its
/// kworker, and an IPI when the CPU is elsewhere) and no drain work runs there.
/// </summary>
public sealed class NoIsolatedInterference : Monitor
{
    private int inForce;

    [Start]
    [OnEventDoAction(typeof(IsolationInForce), nameof(OnIsolated))]
    [OnEventDoAction(typeof(WorkQueued), nameof(OnQueued))]
    [OnEventDoAction(typeof(DrainWorkRan), nameof(OnRan))]
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

    private void OnRan(Event e)
    {
        int cpu = ((DrainWorkRan)e).Cpu;
        Assert((inForce & (1 << cpu)) == 0, "P-QPW-L2: drain work ran on kworker/{0} after cpu{0}'s isolation was in force.", cpu);
    }
}
