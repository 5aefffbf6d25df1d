namespace Verify.Kernel.Rcu.Srcu;

/// <summary>
/// The grace-period sequence number of kernel/rcu/rcu.h: a counter in the upper bits and the phase
/// in the low <see cref="RCU_SEQ_CTR_SHIFT"/> bits (SRCU's IDLE, SCAN1, SCAN2). Values are
/// <c>long</c> and never wrap in a model run, so ULONG_CMP_LT is a plain comparison of differences.
/// </summary>
public static class RcuSeq
{
    public const int RCU_SEQ_CTR_SHIFT = 2;

    public const long RCU_SEQ_STATE_MASK = (1 << RCU_SEQ_CTR_SHIFT) - 1;

    public const int SRCU_STATE_IDLE = 0;

    public const int SRCU_STATE_SCAN1 = 1;

    public const int SRCU_STATE_SCAN2 = 2;

    public static int rcu_seq_state(long s) => (int)(s & RCU_SEQ_STATE_MASK);

    /// <summary>rcu_seq_start(): the counter's phase goes from idle to 1.</summary>
    public static long rcu_seq_start(long s) => s + 1;

    /// <summary>rcu_seq_endval(): the next idle value.</summary>
    public static long rcu_seq_end(long s) => (s | RCU_SEQ_STATE_MASK) + 1;

    /// <summary>rcu_seq_snap(): the value at which a grace period that starts after now has ended.</summary>
    public static long rcu_seq_snap(long s) => (s + (2 * RCU_SEQ_STATE_MASK) + 1) & ~RCU_SEQ_STATE_MASK;

    public static long rcu_seq_set_state(long s, int state) => (s & ~RCU_SEQ_STATE_MASK) | (long)state;

    public static bool rcu_seq_done(long current, long s) => ULONG_CMP_GE(current, s);

    public static bool ULONG_CMP_LT(long a, long b) => a - b < 0;

    public static bool ULONG_CMP_GE(long a, long b) => a - b >= 0;

    /// <summary>The phase as the traces print it.</summary>
    public static string StateName(long s) => rcu_seq_state(s) switch
    {
        SRCU_STATE_IDLE => "IDLE",
        SRCU_STATE_SCAN1 => "SCAN1",
        SRCU_STATE_SCAN2 => "SCAN2",
        _ => "?",
    };
}
