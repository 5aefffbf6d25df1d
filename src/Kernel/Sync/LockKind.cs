namespace Verify.Kernel.Sync;

/// <summary>The lock types whose behaviour differs, and how PREEMPT_RT changes them.</summary>
public enum LockKind
{
    /// <summary>raw_spinlock_t: spins with preemption (and with the _irq variants, interrupts) off, on every kernel.</summary>
    RawSpinlock,

    /// <summary>spinlock_t: a raw spinlock without PREEMPT_RT; a sleeping rtmutex taken with migrate_disable() on PREEMPT_RT.</summary>
    Spinlock,

    /// <summary>struct mutex: a sleeping lock.</summary>
    Mutex,

    /// <summary>local_lock_t: preempt_disable() without PREEMPT_RT; migrate_disable() and a per-CPU spinlock_t on PREEMPT_RT.</summary>
    LocalLock,
}
