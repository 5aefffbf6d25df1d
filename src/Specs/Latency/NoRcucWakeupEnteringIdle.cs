using Verify.Actors;
using Verify.Specifications;

namespace Verify.Specs.Latency;

/// <summary>
/// Latency, Marcelo's vcpu_put-to-idle window (KERNEL.md 3.4): no rcuc wakeup on a nohz_full CPU
/// between the context switch from a task to the idle task and the idle task's ct_cpuidle_enter().
/// In that window the CPU is in the kernel (ct_nesting() != 0), so a tick there is no interrupt from
/// idle; a heuristic that stopped covering the vCPU at vcpu_put()/kvm_sched_out() lets rcu_pending()
/// wake rcuc while idle is being scheduled in (Sean's generic fix: do not wake rcuc then).
/// </summary>
public sealed class NoRcucWakeupEnteringIdle : WindowedMonitor
{
    // CPUs in the window, with the task switched out and the jiffies of the switch.
    private readonly Dictionary<int, (string Prev, int Jiffies)> entering = [];

    [Start]
    [OnEventDoAction(typeof(CountInto), nameof(OnCountInto))]
    [OnEventDoAction(typeof(ContextSwitch), nameof(OnSwitch))]
    [OnEventDoAction(typeof(CpuidleEnter), nameof(OnCpuidleEnter))]
    [OnEventDoAction(typeof(RcucWakeup), nameof(OnWakeup))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnSwitch(Event e)
    {
        var s = (ContextSwitch)e;
        if (s.ToIdle)
        {
            entering[s.Cpu] = (s.Prev, s.Jiffies);
        }
        else
        {
            entering.Remove(s.Cpu);
        }
    }

    private void OnCpuidleEnter(Event e) => entering.Remove(((CpuidleEnter)e).Cpu);

    private void OnWakeup(Event e)
    {
        var w = (RcucWakeup)e;
        if (entering.TryGetValue(w.Cpu, out (string Prev, int Jiffies) from))
        {
            Check(false,
                "rcuc/{0} was woken at jiffies {1} after the switch from {2} to the idle task (jiffies {3}) and before ct_cpuidle_enter(): a tick in the vcpu_put-to-idle window.",
                w.Cpu, w.Jiffies, from.Prev, from.Jiffies);
            entering.Remove(w.Cpu);
        }
    }
}
