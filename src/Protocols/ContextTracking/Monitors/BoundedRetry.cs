using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.ContextTracking.Monitors;

/// <summary>
/// P-CT-L2: a setter's cmpxchg loop is bounded by the interference it meets: at most two attempts,
/// and two more for each time another party wrote the target CPU's word during the call (that CPU's own atomics,
/// another setter's successful cmpxchg). Two per change, since the review's loop confirms a successful
/// cmpxchg with one more, and v5's expects CT_RCU_WATCHING set, failing once against a CPU in user space.
/// Under the LKMM mode a load may return one of the last few stores, each a failed attempt more.
/// </summary>
public sealed class BoundedRetry : Monitor
{
    private readonly Dictionary<string, int> calls = [];

    // Per call, the older stores a load may still return (LKMM mode): each may cost a failed attempt.
    private readonly Dictionary<string, int> stale = [];

    [Start]
    [OnEventDoAction(typeof(SetterCall), nameof(OnCall))]
    [OnEventDoAction(typeof(SetterAttempt), nameof(OnAttempt))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnCall(Event e)
    {
        var c = (SetterCall)e;
        if (c.Begin)
        {
            calls[c.Sender] = 0;
            stale[c.Sender] = c.StaleReads;
        }
        else
        {
            calls.Remove(c.Sender);
            stale.Remove(c.Sender);
        }
    }

    private void OnAttempt(Event e)
    {
        var a = (SetterAttempt)e;
        int attempts = calls[a.Sender] + 1;
        calls[a.Sender] = attempts;
        if (attempts > (2 * (a.OtherWrites + 1)) + stale[a.Sender])
        {
            Assert(false, "P-CT-L2: {0}'s ct_set_cpu_work(cpu{1}) made {2} cmpxchg attempts while the word changed {3} times under it.", a.Sender, a.Cpu, attempts, a.OtherWrites);
        }
    }
}
