using Verify.Actors;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sched;
using Verify.Specifications;
using Verify.Specs;

namespace Verify.Protocols.KvmRcu.Monitors;

/// <summary>
/// Latency while idle is being scheduled in: no rcuc wakeup on a nohz_full CPU between a context
/// switch to the idle task and the idle task's ct_cpuidle_enter(). In that window the CPU is in the
/// kernel (ct_nesting() != 0), so a tick there is no interrupt from idle, and rcu_pending() may
/// wake rcuc (the generic fix discussed upstream: do not wake rcuc while idle is being scheduled
/// in). The message says which window it was: Marcelo's vcpu_put-to-idle window when the vCPU
/// thread switched out from kvm_vcpu_block() (a guest HLT), otherwise a generic idle entry (rcuc
/// going back to sleep, a kthread finishing, an exiting task) that KVM's heuristics never covered.
/// </summary>
public sealed class NoRcucWakeupEnteringIdle : WindowedMonitor
{
    // CPUs in the window, with the task switched out, the function that switched it and the jiffies.
    private readonly Dictionary<int, (string Prev, string Caller, int Jiffies)> entering = [];

    [Start]
    [OnEventDoAction(typeof(CountInto), nameof(OnCountInto))]
    [OnEventDoAction(typeof(ContextSwitch), nameof(OnSwitch))]
    [OnEventDoAction(typeof(CpuidleEnter), nameof(OnCpuidleEnter))]
    [OnEventDoAction(typeof(InvokeRcuCore), nameof(OnWakeup))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnSwitch(Event e)
    {
        var s = (ContextSwitch)e;
        if (s.ToIdle)
        {
            entering[s.Cpu] = (s.Prev, s.Caller, s.Jiffies);
            OpenWindow($"cpu{s.Cpu}", "{0} switched to the idle task in {1} at jiffies {2}; an rcuc wakeup on cpu{3} before ct_cpuidle_enter() is a violation",
                s.Prev, s.Caller, s.Jiffies, s.Cpu);
        }
        else if (entering.Remove(s.Cpu))
        {
            CloseWindow($"cpu{s.Cpu}", "switched to {0} at jiffies {1}", s.Next, s.Jiffies);
        }
    }

    private void OnCpuidleEnter(Event e)
    {
        int cpu = ((CpuidleEnter)e).Cpu;
        if (entering.Remove(cpu))
        {
            CloseWindow($"cpu{cpu}", "ct_cpuidle_enter()");
        }
    }

    private void OnWakeup(Event e)
    {
        var w = (InvokeRcuCore)e;
        if (entering.TryGetValue(w.Cpu, out (string Prev, string Caller, int Jiffies) from))
        {
            string window = from.Caller.StartsWith("kvm_vcpu_block", StringComparison.Ordinal)
                ? "the vcpu_put-to-idle window of a guest HLT"
                : "a generic idle-entry window, not KVM's";
            Check(false,
                "rcuc/{0} was woken at jiffies {1} after {2} switched to the idle task in {3} (jiffies {4}) and before ct_cpuidle_enter(): {5}.",
                w.Cpu, w.Jiffies, from.Prev, from.Caller, from.Jiffies, window);
            entering.Remove(w.Cpu);
            CloseWindow($"cpu{w.Cpu}", "rcuc/{0} woken at jiffies {1} (counted as a violation)", w.Cpu, w.Jiffies);
        }
    }
}
