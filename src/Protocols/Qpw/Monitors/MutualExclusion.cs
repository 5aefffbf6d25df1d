using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.Qpw.Monitors;

/// <summary>
/// P-QPW-S1: D[c] is mutated by one task at a time. A task's update of D[c] is a load and a store;
/// no other task may access D[c] between them (the fast path, the kworker and a remote drainer all
/// read-modify-write it).
/// </summary>
public sealed class MutualExclusion : Monitor
{
    // A caller's D of one CPU -> the task between its load and its store of it.
    private readonly Dictionary<(Caller, int), string> window = [];

    [Start]
    [OnEventDoAction(typeof(PcpAccessed), nameof(OnAccess))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnAccess(Event e)
    {
        var a = (PcpAccessed)e;
        if (window.TryGetValue((a.Caller, a.Cpu), out string? other) && other != a.Task)
        {
            Assert(false,
                "P-QPW-S1: {0} on cpu{1} {2} D[{3}] ({4} of cpu{3}) while {5} was between its load and its store of it: two tasks mutate cpu{3}'s data at once.",
                a.Task, a.TaskCpu, a.Store ? "stored to" : "loaded", a.Cpu, CallerNames.Of(a.Caller).Data, other);
        }

        if (a.Store)
        {
            window.Remove((a.Caller, a.Cpu));
        }
        else
        {
            window[(a.Caller, a.Cpu)] = a.Task;
        }
    }
}
