using Verify.Specifications;

namespace Verify.Specs.Rcu;

/// <summary>A reader entered an RCU read-side critical section (rcu_read_lock) on a CPU.</summary>
public sealed class ReaderBegin(int reader, int cpu) : Monitor.Event
{
    public int Reader { get; } = reader;

    public int Cpu { get; } = cpu;
}

/// <summary>The reader left its critical section (rcu_read_unlock).</summary>
public sealed class ReaderEnd(int reader) : Monitor.Event
{
    public int Reader { get; } = reader;
}

/// <summary>A grace period started (rcu_seq_start in rcu_gp_init) at the given jiffies.</summary>
public sealed class GracePeriodStart(int gpSeq, int jiffies) : Monitor.Event
{
    public int GpSeq { get; } = gpSeq;

    public int Jiffies { get; } = jiffies;
}

/// <summary>The grace period ended (rcu_seq_end in rcu_gp_cleanup); its waiters may now free memory.</summary>
public sealed class GracePeriodEnd(int gpSeq, int jiffies) : Monitor.Event
{
    public int GpSeq { get; } = gpSeq;

    public int Jiffies { get; } = jiffies;
}

/// <summary>jiffies advanced (do_timer on the timekeeping CPU).</summary>
public sealed class JiffiesAdvanced(int jiffies) : Monitor.Event
{
    public int Jiffies { get; } = jiffies;
}

/// <summary>call_rcu() queued a callback: it may run only after every reader running now has ended.</summary>
public sealed class CallbackQueued(int callback) : Monitor.Event
{
    public int Callback { get; } = callback;
}

/// <summary>rcu_do_batch() invoked the callback (the object is freed).</summary>
public sealed class CallbackInvoked(int callback, int jiffies) : Monitor.Event
{
    public int Callback { get; } = callback;

    public int Jiffies { get; } = jiffies;
}
