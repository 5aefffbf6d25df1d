using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.Qpw.Monitors;

/// <summary>P-QPW-L1: every drain returns. Hot while one is in progress: a run that never leaves it (a fair cycle, or the end of the run) is a liveness violation.</summary>
public sealed class FlushCompletes : Monitor
{
    private readonly HashSet<string> draining = [];

    [Start]
    [Cold]
    [OnEventDoAction(typeof(DrainAllStarted), nameof(OnStart))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Idle : State
    {
    }

    [Hot]
    [OnEventDoAction(typeof(DrainAllStarted), nameof(OnAnotherStart))]
    [OnEventDoAction(typeof(DrainAllReturned), nameof(OnReturn))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Draining : State
    {
    }

    private void OnStart(Event e)
    {
        draining.Add(((DrainAllStarted)e).Drainer);
        RaiseGotoStateEvent<Draining>();
    }

    private void OnAnotherStart(Event e) => draining.Add(((DrainAllStarted)e).Drainer);

    private void OnReturn(Event e)
    {
        draining.Remove(((DrainAllReturned)e).Drainer);
        if (draining.Count == 0)
        {
            RaiseGotoStateEvent<Idle>();
        }
    }
}
