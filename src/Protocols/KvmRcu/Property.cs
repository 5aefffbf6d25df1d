namespace Verify.Protocols.KvmRcu;

/// <summary>The KVM/RCU properties, each checked by its own monitor (the RCU ones shared in src/Specs, the latency ones in Monitors/).</summary>
public enum Property
{
    /// <summary>P-RK-S1: no grace period ends before a reader that began before it started.</summary>
    GracePeriodGuarantee,

    /// <summary>A grace period ends within min(patience, 1 s) + one FQS period + two rcu_core() passes.</summary>
    GracePeriodCompletion,

    /// <summary>P-RK-L1: no heuristic suppresses rcu_core() once the grace period is min(patience, 1 s) old.</summary>
    NoSuppressionOfAnOldGracePeriod,

    /// <summary>P-RK-L2 / false negatives: no rcuc wakeup on a CPU whose vCPU re-enters the guest within the window.</summary>
    NoRcucWakeupBeforeReentry,

    /// <summary>P-RK-L3 / false positives: a heuristic's suppression is followed by a re-entry within the window.</summary>
    NoSuppressionWithoutReentry,

    /// <summary>P-RK-L2 while idle is scheduled in: no rcuc wakeup between the switch to the idle task and ct_cpuidle_enter() (Marcelo's vcpu_put-to-idle window, and generic idle entries).</summary>
    NoRcucWakeupEnteringIdle,
}
