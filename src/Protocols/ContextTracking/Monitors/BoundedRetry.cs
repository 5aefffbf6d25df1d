using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.ContextTracking.Monitors;

/// <summary>
/// P-CT-L2: a setter's cmpxchg loop makes at most two attempts more than the number of times
/// another party wrote cpu0's word during the call (cpu0's own atomics, another setter's successful
/// cmpxchg): a retry must be caused by a change, beyond one confirming round.
/// </summary>
public sealed class BoundedRetry : Monitor
{
    private readonly Dictionary<string, (int Attempts, int Changes)> calls = [];

    [Start]
    [OnEventDoAction(typeof(SetterCall), nameof(OnCall))]
    [OnEventDoAction(typeof(SetterAttempt), nameof(OnAttempt))]
    [OnEventDoAction(typeof(CtAtomic), nameof(OnCpuAtomic))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnCall(Event e)
    {
        var c = (SetterCall)e;
        if (c.Begin)
        {
            calls[c.Sender] = (0, 0);
        }
        else
        {
            calls.Remove(c.Sender);
        }
    }

    private void OnAttempt(Event e)
    {
        var a = (SetterAttempt)e;
        foreach (string other in calls.Keys.Where(s => s != a.Sender && a.Success).ToList())
        {
            calls[other] = (calls[other].Attempts, calls[other].Changes + 1);
        }

        (int attempts, int changes) = calls[a.Sender];
        calls[a.Sender] = (++attempts, changes);
        if (attempts > changes + 2)
        {
            Assert(false, "P-CT-L2: {0}'s ct_set_cpu_work(cpu{1}) made {2} cmpxchg attempts while the word changed {3} times under it.", a.Sender, a.Cpu, attempts, changes);
        }
    }

    private void OnCpuAtomic(Event e)
    {
        foreach (string s in calls.Keys.ToList())
        {
            calls[s] = (calls[s].Attempts, calls[s].Changes + 1);
        }
    }
}
