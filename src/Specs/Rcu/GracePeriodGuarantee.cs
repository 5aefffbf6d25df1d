using Verify.Actors;
using Verify.Specifications;

namespace Verify.Specs.Rcu;

/// <summary>
/// The RCU grace-period guarantee: a grace period that starts after a reader began does not end
/// before that reader ends. Equivalently, when a grace period ends, no reader that began before
/// it started is still running; and a call_rcu() callback runs only after every reader that was
/// running when it was queued has ended.
/// </summary>
public sealed class GracePeriodGuarantee : Monitor
{
    // Readers still in their critical section, with the number of grace periods started before each began.
    private readonly Dictionary<int, int> active = [];
    private readonly Dictionary<int, int> cpuOf = [];
    private int started;
    private int currentGpStartedAt = -1;

    // For each queued callback, the readers that were running when call_rcu() queued it.
    private readonly Dictionary<int, List<int>> callbacks = [];

    [Start]
    [OnEventDoAction(typeof(ReaderBegin), nameof(OnReaderBegin))]
    [OnEventDoAction(typeof(ReaderEnd), nameof(OnReaderEnd))]
    [OnEventDoAction(typeof(GracePeriodStart), nameof(OnGpStart))]
    [OnEventDoAction(typeof(GracePeriodEnd), nameof(OnGpEnd))]
    [OnEventDoAction(typeof(CallbackQueued), nameof(OnCallbackQueued))]
    [OnEventDoAction(typeof(CallbackInvoked), nameof(OnCallbackInvoked))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnReaderBegin(Event e)
    {
        var b = (ReaderBegin)e;
        Assert(!active.ContainsKey(b.Reader), "Reader {0} began twice without ending.", b.Reader);
        active[b.Reader] = started;
        cpuOf[b.Reader] = b.Cpu;
    }

    private void OnReaderEnd(Event e)
    {
        var r = (ReaderEnd)e;
        Assert(active.Remove(r.Reader), "Reader {0} ended without beginning.", r.Reader);
        cpuOf.Remove(r.Reader);
    }

    private void OnGpStart(Event e)
    {
        started++;
        currentGpStartedAt = ((GracePeriodStart)e).Jiffies;
    }

    private void OnGpEnd(Event e)
    {
        var end = (GracePeriodEnd)e;
        foreach ((int reader, int gpsBefore) in active)
        {
            // The ending grace period is number `started`; the reader began before it started if
            // fewer than `started` grace periods had started when it began.
            Assert(gpsBefore >= started,
                "Grace period {0} (started at jiffies {1}) ended at jiffies {2} while reader {3} on cpu{4}, which began before it started, is still in its critical section.",
                end.GpSeq, currentGpStartedAt, end.Jiffies, reader, cpuOf[reader]);
        }
    }

    private void OnCallbackQueued(Event e) => callbacks[((CallbackQueued)e).Callback] = [.. active.Keys];

    private void OnCallbackInvoked(Event e)
    {
        var invoked = (CallbackInvoked)e;
        Assert(callbacks.Remove(invoked.Callback, out List<int>? before), "Callback {0} was invoked without being queued.", invoked.Callback);
        foreach (int reader in before!)
        {
            Assert(!active.ContainsKey(reader),
                "Callback {0} was invoked at jiffies {1} while reader {2} on cpu{3}, which was running when call_rcu() queued it, is still in its critical section.",
                invoked.Callback, invoked.Jiffies, reader, cpuOf.GetValueOrDefault(reader));
        }
    }
}
