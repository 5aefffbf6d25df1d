using Verify.Specifications;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>rcu_read_lock(): reader <c>Reader</c> entered a read-side critical section on a CPU.</summary>
public sealed class RcuReadLock(int reader, int cpu) : Monitor.Event
{
    public int Reader { get; } = reader;

    public int Cpu { get; } = cpu;
}

/// <summary>rcu_read_unlock(): the reader left its critical section.</summary>
public sealed class RcuReadUnlock(int reader) : Monitor.Event
{
    public int Reader { get; } = reader;
}

/// <summary>rcu_gp_init(): rcu_seq_start() began grace period <c>GpSeq</c> at the given jiffies.</summary>
public sealed class RcuGpInit(int gpSeq, int jiffies) : Monitor.Event
{
    public int GpSeq { get; } = gpSeq;

    public int Jiffies { get; } = jiffies;
}

/// <summary>rcu_gp_cleanup(): rcu_seq_end() ended the grace period; its waiters may now free memory.</summary>
public sealed class RcuGpCleanup(int gpSeq, int jiffies) : Monitor.Event
{
    public int GpSeq { get; } = gpSeq;

    public int Jiffies { get; } = jiffies;
}

/// <summary>call_rcu() queued callback <c>Callback</c>.</summary>
public sealed class CallRcu(int callback) : Monitor.Event
{
    public int Callback { get; } = callback;
}

/// <summary>rcu_do_batch() invoked the callback.</summary>
public sealed class RcuDoBatch(int callback, int jiffies) : Monitor.Event
{
    public int Callback { get; } = callback;

    public int Jiffies { get; } = jiffies;
}

/// <summary>
/// invoke_rcu_core() woke rcuc/N (it was asleep): the SCHED_FIFO kthread will preempt whatever runs
/// there. <c>Capped</c> says why rcu_pending() did not return early when a reason to was there but
/// the grace period had reached rcu_nohz_full_cpu()'s one-second cap; null otherwise.
/// </summary>
public sealed class InvokeRcuCore(int cpu, int jiffies, string? capped = null) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public int Jiffies { get; } = jiffies;

    public string? Capped { get; } = capped;
}

/// <summary>
/// rcu_pending() returned 0 on a nohz_full CPU with work for rcu_core() because of a hook or the
/// patience delay (not because the CPU was in user mode or idle); <c>Reason</c> names which.
/// </summary>
public sealed class RcuPendingSuppressed(int cpu, int jiffies, string reason) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public int Jiffies { get; } = jiffies;

    public string Reason { get; } = reason;
}
