using Verify.Specifications;
using Verify.Specs;
using Verify.Specs.Latency;
using Verify.Specs.Rcu;

namespace Verify.Protocols.KvmRcu;

/// <summary>
/// Counters a statistics run accumulates over many iterations of one configuration: rcuc wakeups,
/// heuristic suppressions, grace periods and how long they took. The model adds to it as it runs;
/// nothing here influences the model.
/// </summary>
public sealed class KvmRcuStatistics : IPropertyTally
{
    private int gpStartedAt;

    public int Runs { get; set; }

    public int RcucWakeups { get; internal set; }

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

    public void Observed(Monitor.Event e)
    {
        switch (e)
        {
            case RcucWakeup:
                RcucWakeups++;
                break;
            case RcuCoreSuppressed:
                Suppressions++;
                break;
            case GracePeriodStart s:
                gpStartedAt = s.Jiffies;
                break;
            case CallbackInvoked:
                CallbacksInvoked++;
                break;
            case GracePeriodEnd end:
                GracePeriodsCompleted++;
                GracePeriodJiffies.Add(end.Jiffies - gpStartedAt);
                break;
        }
    }
}
