using Verify.Actors;
using Verify.Specifications;
using Verify.Specs;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sched;
using Verify.Kernel.Time;

namespace Verify.Protocols.KvmRcu.Monitors;

/// <summary>
/// Heuristic accuracy (false positives): when a KVM heuristic makes rcu_pending() return 0 on a
/// nohz_full CPU, the vCPU must re-enter the guest on that CPU within <c>Window</c> jiffies;
/// otherwise RCU was kept off a CPU for nothing and the grace period waits. Hot while a
/// suppression awaits its re-entry, so a run that ends first (VM terminated) is reported too.
/// </summary>
public sealed class NoSuppressionWithoutReentry : WindowedMonitor
{
    private readonly Dictionary<int, (int At, string Heuristic)> pending = [];

    [Start]
    [Cold]
    [OnEventDoAction(typeof(SetWindow), nameof(OnSetWindow))]
    [OnEventDoAction(typeof(CountInto), nameof(OnCountInto))]
    [OnEventDoAction(typeof(RcuPendingSuppressed), nameof(OnSuppressed))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Accurate : State
    {
    }

    /// <summary>A suppression awaits its re-entry; warm, for statistics runs that count instead of failing.</summary>
    [OnEventDoAction(typeof(RcuPendingSuppressed), nameof(OnSuppressed))]
    [OnEventDoAction(typeof(GuestEnter), nameof(OnGuestEnter))]
    [OnEventDoAction(typeof(DoTimer), nameof(OnJiffies))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private class Awaiting : State
    {
    }

    [Hot]
    private sealed class AwaitingReentry : Awaiting
    {
    }

    private void OnSuppressed(Event e)
    {
        var s = (RcuPendingSuppressed)e;
        if (s.Reason == TreeRcu.PatienceReason)
        {
            // Patience waits for the grace period to age; it makes no claim that the vCPU re-enters.
            return;
        }

        if (pending.TryAdd(s.Cpu, (s.Jiffies, s.Reason)))
        {
            OpenWindow($"cpu{s.Cpu}", "rcu_pending() suppressed at jiffies {0} by the {1} heuristic; the vCPU must re-enter the guest on cpu{2} by jiffies {3}",
                s.Jiffies, s.Reason, s.Cpu, s.Jiffies + Window);
        }

        if (!Counting)
        {
            RaiseGotoStateEvent<AwaitingReentry>();
        }
        else
        {
            RaiseGotoStateEvent<Awaiting>();
        }
    }

    private void OnGuestEnter(Event e)
    {
        var g = (GuestEnter)e;
        if (pending.Remove(g.Cpu))
        {
            CloseWindow($"cpu{g.Cpu}", "the vCPU re-entered the guest at jiffies {0}", g.Jiffies);
        }

        if (pending.Count == 0)
        {
            RaiseGotoStateEvent<Accurate>();
        }
    }

    private void OnJiffies(Event e)
    {
        int now = ((DoTimer)e).Jiffies;
        foreach ((int cpu, (int at, string heuristic)) in pending.ToList())
        {
            if (Counting && now - at > Window)
            {
                pending.Remove(cpu);
            }

            Check(now - at <= Window,
                "rcu_pending() on cpu{0} was suppressed at jiffies {1} by the {2} heuristic, but no vCPU re-entered the guest on cpu{0} by jiffies {3} ({4}-jiffy window): a false positive.",
                cpu, at, heuristic, now, Window);
            if (now - at > Window)
            {
                CloseWindow($"cpu{cpu}", "no re-entry by jiffies {0} (counted as a false positive)", now);
            }
        }

        if (pending.Count == 0)
        {
            RaiseGotoStateEvent<Accurate>();
        }
    }
}
