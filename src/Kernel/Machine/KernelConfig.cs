namespace Verify.Kernel.Machine;

/// <summary>The kernel a scenario boots: time, the modelled CPUs, and the RCU settings in force.</summary>
public sealed record KernelConfig
{
    /// <summary>Ticks per second. Small values keep "one second" within reach of the exploration.</summary>
    public int HZ { get; init; } = 4;

    /// <summary>jiffies at boot; above HZ so that a zero jiffies stamp is never "recent".</summary>
    public int StartJiffies { get; init; } = 100;

    /// <summary>Ticks the clock delivers before time stops (bounds every run).</summary>
    public int MaxTicks { get; init; } = 4;

    /// <summary>CPUs modelled statement by statement; the housekeeping side runs as kthreads on <see cref="HousekeepingCpus"/> more.</summary>
    public int Cpus { get; init; } = 1;

    /// <summary>
    /// Housekeeping CPUs, each running the kthreads bound to it (<see cref="KernelState.HousekeepingCpuId"/>):
    /// the first keeps time and runs the RCU grace-period kthread; kthreads on different housekeeping
    /// CPUs interleave statement by statement, as tasks on different modelled CPUs do.
    /// </summary>
    public int HousekeepingCpus { get; init; } = 1;

    /// <summary>
    /// The modelled CPUs are in the nohz_full mask, which always turns context tracking on for them
    /// (user and guest are extended quiescent states); false models ordinary CPUs, whose context
    /// tracking only covers idle and whose rcu_nohz_full_cpu() is false.
    /// </summary>
    public bool NohzFull { get; init; } = true;

    /// <summary>
    /// With <see cref="NohzFull"/>, the modelled CPUs in the nohz_full mask (bit N for CPU N); null,
    /// the default, is all of them. The others are ordinary CPUs, as with <c>NohzFull = false</c>.
    /// </summary>
    public int? NohzFullMask { get; init; }

    /// <summary>
    /// Housekeeping kthreads wake tasks of the modelled CPUs and take locks against them (a kthread
    /// that queues work on a modelled CPU's kworker). Off by default: then the housekeeping CPU never
    /// touches a modelled CPU's scheduler state, which lets the search treat that state as the CPU's
    /// own on a machine with one modelled CPU.
    /// </summary>
    public bool HousekeepingTouchesCpus { get; init; }

    /// <summary>
    /// CONFIG_PREEMPT_RT: spinlock_t and local_lock_t become sleeping locks (rtmutex) taken with
    /// migrate_disable() instead of preempt_disable(); raw_spinlock_t keeps spinning.
    /// </summary>
    public bool PreemptRt { get; init; }

    /// <summary>
    /// CONFIG_CONTEXT_TRACKING_WORK: work bits in each CPU's context-tracking word, between the state
    /// and the RCU watching counter (0, the default, is without). With work bits another CPU may
    /// write the word (ct_set_cpu_work()), so every access to it is shared.
    /// </summary>
    public int CtWorkBits { get; init; }

    /// <summary>
    /// The RCU watching counter's width in the context-tracking word; 0 (the default) is the widest
    /// that fits beside the state and work bits, 2 is CONFIG_RCU_DYNTICKS_TORTURE's
    /// (<see cref="ContextTracking.ContextTrackingState.RcuWatchingTortureWidth"/>).
    /// </summary>
    public int CtRcuWatchingWidth { get; init; }

    /// <summary>
    /// rcutree.use_softirq=1 (the !PREEMPT_RT default): rcu_core() runs as RCU_SOFTIRQ when the tick
    /// that raised it exits (irq_exit() -> invoke_softirq()), on the interrupted CPU before the
    /// interrupted code resumes, instead of in the rcuc/N kthread. Off by default: rcuc/N, as with
    /// use_softirq=0 (PREEMPT_RT's default), where a task that never yields its CPU keeps rcuc from
    /// reporting that CPU's quiescent states.
    /// </summary>
    public bool RcuUseSoftirq { get; init; }

    /// <summary>
    /// CONFIG_PROVE_LOCKING: lockdep also learns lock order and interrupt usage from the acquisitions
    /// that run (<see cref="Sync.LockDependencies"/>) and reports a circular dependency or an
    /// inconsistent hard-interrupt usage. What it learned is state, so a stateful search of a model
    /// whose lock nestings depend on the path grows with it; off by default (the wait-context,
    /// atomic-sleep, recursion and imbalance checks run either way).
    /// </summary>
    public bool ProveLocking { get; init; }

    /// <summary>68d124b09999: rcutree.nohz_full_patience_delay in jiffies; 0 is off (the default).</summary>
    public int NohzFullPatienceDelayJiffies { get; init; }

    /// <summary>
    /// The rate model: a jiffy lasts at least this many statements on every modelled CPU that is
    /// not halted (idle or in a guest). Short kernel paths fit in a jiffy; long work spans ticks.
    /// </summary>
    public int StatementsPerJiffy { get; init; } = 16;

    /// <summary>jiffies_till_first_fqs; later scans wait max(1, this) jiffies (jiffies_till_next_fqs).</summary>
    public int JiffiesTillFqs { get; init; } = 1;

    /// <summary>
    /// KASAN, refcount_t's WARNs and lockdep's wait-context and atomic-sleep checks report by telling
    /// the observers (<see cref="Lifetime.DebugReport"/>) and the run goes on, as the kernel goes on
    /// after printing them; off (the default), such a report fails the run.
    /// </summary>
    public bool ObserveDebugReports { get; init; }

    /// <summary>A deliberately broken kernel: call_rcu() lets a callback complete with the grace period already in progress.</summary>
    public bool MutantCallbackRidesCurrentGracePeriod { get; init; }

    /// <summary>A deliberately broken kernel for checking the monitors: ct_irq_enter() forgets to make RCU watch.</summary>
    public bool MutantIrqEnterDoesNotWatch { get; init; }

    /// <summary>A deliberately broken kernel: the FQS scan never counts an extended quiescent state (rcu_watching_snap_save() always sees the CPU watching).</summary>
    public bool MutantFqsIgnoresEqs { get; init; }

    /// <summary>A deliberately broken kernel: rcu_nohz_full_cpu() drops its one-second cap on grace-period age.</summary>
    public bool MutantNoGracePeriodAgeCap { get; init; }
}
