using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.Qpw.Monitors;

/// <summary>
/// P-QPW-L1: every drain returns, and so does the cpuset writer's wait for the drains in flight on
/// the CPU it isolates (synchronize_rcu() for drain_all_stock()'s readers, then flush_work() of the
/// stock work queued there). Hot while one is in progress: a run that never leaves it (a fair
/// cycle, or the end of the run) is a liveness violation.
/// </summary>
public sealed class FlushCompletes : Monitor
{
    private readonly HashSet<string> draining = [];

    [Start]
    [Cold]
    [OnEventDoAction(typeof(DrainAllStarted), nameof(OnStart))]
    [OnEventDoAction(typeof(WriterWaitStarted), nameof(OnStart))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Idle : State
    {
    }

    [Hot]
    [OnEventDoAction(typeof(DrainAllStarted), nameof(OnAnotherStart))]
    [OnEventDoAction(typeof(WriterWaitStarted), nameof(OnAnotherStart))]
    [OnEventDoAction(typeof(DrainAllReturned), nameof(OnReturn))]
    [OnEventDoAction(typeof(WriterWaitReturned), nameof(OnReturn))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Draining : State
    {
    }

    /// <summary>Who is flushing: a drainer, or the cpuset writer.</summary>
    private static string Flusher(Event e) => e switch
    {
        DrainAllStarted s => s.Drainer,
        DrainAllReturned r => r.Drainer,
        WriterWaitStarted s => s.Writer,
        _ => ((WriterWaitReturned)e).Writer,
    };

    private void OnStart(Event e)
    {
        draining.Add(Flusher(e));
        RaiseGotoStateEvent<Draining>();
    }

    private void OnAnotherStart(Event e) => draining.Add(Flusher(e));

    private void OnReturn(Event e)
    {
        draining.Remove(Flusher(e));
        if (draining.Count == 0)
        {
            RaiseGotoStateEvent<Idle>();
        }
    }
}
