using Verify.Actors;
using Verify.Specifications;
using Verify.Specs;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sched;
using Verify.Kernel.Time;

namespace Verify.Protocols.KvmRcu.Monitors;

/// <summary>
/// Latency (false negatives of a heuristic): no rcuc wakeup on a nohz_full CPU whose vCPU re-enters
/// the guest there within <c>Window</c> jiffies. Such a wakeup makes the SCHED_FIFO rcuc thread run
/// between the vCPU's exit and its re-entry: the guest sees the latency. Armed by the VM's first
/// guest entry: a wakeup before it belongs to the VM's start, once per VM, not to the steady state
/// the heuristics are judged on (a vCPU that migrates is covered from then on, on every CPU).
/// </summary>
public sealed class NoRcucWakeupBeforeReentry : WindowedMonitor
{
    private readonly Dictionary<int, (int At, string? Capped)> wokenAt = [];
    private bool armed;

    [Start]
    [OnEventDoAction(typeof(SetWindow), nameof(OnSetWindow))]
    [OnEventDoAction(typeof(CountInto), nameof(OnCountInto))]
    [OnEventDoAction(typeof(InvokeRcuCore), nameof(OnWakeup))]
    [OnEventDoAction(typeof(GuestEnter), nameof(OnGuestEnter))]
    [OnEventDoAction(typeof(DoTimer), nameof(OnJiffies))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnWakeup(Event e)
    {
        var w = (InvokeRcuCore)e;
        if (armed && wokenAt.TryAdd(w.Cpu, (w.Jiffies, w.Capped)))
        {
            OpenWindow($"cpu{w.Cpu}", "rcuc/{0} woken at jiffies {1}; a guest entry on cpu{0} by jiffies {2} is a violation", w.Cpu, w.Jiffies, w.Jiffies + Window);
        }
    }

    private void OnGuestEnter(Event e)
    {
        var g = (GuestEnter)e;
        armed = true;
        if (wokenAt.Remove(g.Cpu, out (int At, string? Capped) woken))
        {
            Check(g.Jiffies - woken.At > Window,
                "rcuc/{0} was woken at jiffies {1} and the vCPU re-entered the guest on cpu{0} at jiffies {2}, within the {3}-jiffy window: the wakeup preempted a vCPU about to re-enter ({4}).",
                g.Cpu, woken.At, g.Jiffies, Window, woken.Capped ?? "no reason to hold rcu_core() off");
            CloseWindow($"cpu{g.Cpu}", g.Jiffies - woken.At > Window ? "the vCPU entered the guest at jiffies {0}, after the window" : "the vCPU entered the guest at jiffies {0} (counted as a violation)", g.Jiffies);
        }
    }

    private void OnJiffies(Event e)
    {
        int now = ((DoTimer)e).Jiffies;
        foreach (int cpu in wokenAt.Where(kv => now - kv.Value.At > Window).Select(kv => kv.Key).ToList())
        {
            wokenAt.Remove(cpu);
            CloseWindow($"cpu{cpu}", "jiffies {0}: the window has passed", now);
        }
    }
}
