namespace Verify.Protocols.Qpw;

/// <summary>The QPW properties, each checked by its own monitor (Monitors/).</summary>
public enum Property
{
    /// <summary>P-QPW-S1: no two tasks mutate D[c] at once (one's read-modify-write of it never overlaps another's access).</summary>
    MutualExclusion,

    /// <summary>P-QPW-S2: code holding L[a] touches only D[a]: the lock and the data it resolves are of the same CPU.</summary>
    RightCpu,

    /// <summary>P-QPW-S3: items are conserved: every item added to D[c] is drained at most once and none is lost (added = drained + held).</summary>
    Conservation,

    /// <summary>P-QPW-S3, the caller's contract: when lru_add_drain_all() / flush_all_cpus_locked() returns, every item added before it started has been drained (not for memcg, whose drain is asynchronous).</summary>
    DrainedByReturn,

    /// <summary>P-QPW-L1: every drain returns (liveness: a hot monitor until it does).</summary>
    FlushCompletes,

    /// <summary>P-QPW-L2: no drain delivers work to a CPU (queue_work_on() there) once it is isolated (with a cpuset writer: once its update has returned).</summary>
    NoIsolatedInterference,

    /// <summary>P-QPW-L3: every FLUSHING_CACHED_CHARGE bit a drainer sets is eventually cleared (memcg only; liveness).</summary>
    FlushingBitCleared,
}

internal static class PropertyScope
{
    /// <summary>Whether the property says anything about the caller's code.</summary>
    internal static bool AppliesTo(this Property p, Caller caller) => p switch
    {
        Property.DrainedByReturn => caller != Caller.Memcg,
        Property.FlushingBitCleared => caller == Caller.Memcg,
        _ => true,
    };
}
