namespace Verify.Protocols.Srcu;

/// <summary>The SRCU properties, each checked by its own monitor (Monitors/).</summary>
public enum Property
{
    /// <summary>P-SR-S1: synchronize_srcu_expedited() returns only after every reader that began before it, of either srcu_idx rank, has ended.</summary>
    GracePeriodGuarantee,

    /// <summary>P-SR-S2: srcu_n_exp_nodelay and reschedule_count have one writer at a time: no store lands inside another task's read-modify-write of them.</summary>
    SingleWriter,

    /// <summary>P-SR-L1: zero-delay reschedules are bounded per grace-period phase and per jiffy, and a grace period older than the tolerated jiffy gets a delay that grows with its age, capped at 10 jiffies.</summary>
    BoundedNoDelay,

    /// <summary>P-SR-L2: with no reader, an expedited grace period completes without a timed sleep (no SRCU work queued with a delay during the call).</summary>
    ExpeditedNoSleep,

    /// <summary>P-SR-L3: every delay srcu_get_delay() returns is within [0, 10] jiffies, and cleanup_srcu_struct() after the last grace period does not warn.</summary>
    DelayInRange,

    /// <summary>P-SR-S3: a reader never loads from the memslots object it srcu_dereference()d after the updater, its grace period over, freed it (the scenarios with protected data only).</summary>
    NoUseAfterFree,
}
