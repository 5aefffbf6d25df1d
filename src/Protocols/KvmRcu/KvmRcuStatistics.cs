using Verify.Kernel.Irq;
using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Tree;
using Verify.Protocols.KvmRcu.Monitors;
using Verify.Specifications;
using Verify.Specs;

namespace Verify.Protocols.KvmRcu;

/// <summary>
/// Counters a statistics run accumulates over many iterations of one configuration: rcuc wakeups,
/// heuristic suppressions, grace periods and how long they took. The model adds to it as it runs;
/// nothing here influences the model.
/// </summary>
public sealed class KvmRcuStatistics : IPropertyTally, IKernelObserver
{
    private int gpStartedAt;

    public int Runs { get; set; }

    public int RcucWakeups { get; internal set; }

    /// <summary>Scheduling-clock interrupts the modelled CPUs took (the model's tick runs every jiffy a CPU is not idle).</summary>
    public int Ticks { get; internal set; }

    /// <summary>rcuc wakeups per 100 ticks taken: the rate a real nohz_full CPU would see while its tick runs.</summary>
    public double WakeupsPer100Ticks => Ticks == 0 ? 0 : 100.0 * RcucWakeups / Ticks;

    /// <summary>rcuc wakeups followed by the vCPU's re-entry on that CPU within the window (false negatives).</summary>
    public int FalseNegatives { get; internal set; }

    public int Suppressions { get; internal set; }

    /// <summary>Suppressions not followed by a re-entry within the window (false positives).</summary>
    public int FalsePositives { get; internal set; }

    public int GracePeriodsCompleted { get; internal set; }

    /// <summary>call_rcu() callbacks that rcu_do_batch() invoked.</summary>
    public int CallbacksInvoked { get; internal set; }

    /// <summary>Jiffies from rcu_gp_init() to rcu_gp_cleanup(), one entry per completed grace period.</summary>
    public List<int> GracePeriodJiffies { get; } = [];

    public double WakeupsPerGracePeriod => GracePeriodsCompleted == 0 ? 0 : (double)RcucWakeups / GracePeriodsCompleted;

    public void Violation(string property)
    {
        if (property == nameof(NoRcucWakeupBeforeReentry))
        {
            FalseNegatives++;
        }
        else if (property == nameof(NoSuppressionWithoutReentry))
        {
            FalsePositives++;
        }
    }

    public void Observe(Monitor.Event e)
    {
        switch (e)
        {
            case InvokeRcuCore:
                RcucWakeups++;
                break;
            case RcuPendingSuppressed:
                Suppressions++;
                break;
            case TickTaken:
                Ticks++;
                break;
            case RcuGpInit s:
                gpStartedAt = s.Jiffies;
                break;
            case RcuDoBatch:
                CallbacksInvoked++;
                break;
            case RcuGpCleanup end:
                GracePeriodsCompleted++;
                GracePeriodJiffies.Add(end.Jiffies - gpStartedAt);
                break;
        }
    }
}
