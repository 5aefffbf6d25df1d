using Verify.Actors;
using Verify.Protocols.Kernel.Rcu;
using Verify.Specifications;

namespace Verify.Protocols.Kernel;

/// <summary>Which patch, if any, makes rcu_pending() keep rcuc off a nohz_full CPU that runs a vCPU.</summary>
public enum KvmRcuHeuristic
{
    None,

    /// <summary>rcu_recent_guest_exit(): time_before(jiffies, kvm_last_guest_exit + HZ) (Bras RFC v1).</summary>
    RecentGuestExit,

    /// <summary>ct.in_guest_run_loop (Christopherson).</summary>
    InGuestRunLoop,
}

/// <summary>The kernel a scenario boots: time, CPUs, and the RCU patches in force.</summary>
public sealed record KernelConfig
{
    /// <summary>Ticks per second. Small values keep "one second" within reach of the exploration.</summary>
    public int HZ { get; init; } = 4;

    /// <summary>jiffies at boot; above HZ so that a zero kvm_last_guest_exit is never "recent".</summary>
    public int StartJiffies { get; init; } = 100;

    /// <summary>Ticks the clock delivers before time stops (bounds every run).</summary>
    public int MaxTicks { get; init; } = 4;

    /// <summary>nohz_full CPUs, each modelled statement by statement; the housekeeping side runs as kthread actors.</summary>
    public int NohzFullCpus { get; init; } = 1;

    /// <summary>Context tracking active on the nohz_full CPUs (it is, with nohz_full).</summary>
    public bool ContextTracking { get; init; } = true;

    public KvmRcuHeuristic Heuristic { get; init; }

    /// <summary>593377036e50: note a quiescent state on guest exit when context tracking is off on the CPU.</summary>
    public bool QsOnGuestExit { get; init; }

    /// <summary>68d124b09999: rcutree.nohz_full_patience_delay in jiffies; 0 is off.</summary>
    public int NohzFullPatienceDelayJiffies { get; init; }

    /// <summary>
    /// The rate model: a jiffy lasts at least this many statements on every nohz_full CPU that is
    /// not halted (idle or in a guest). Short kernel paths fit in a jiffy; long work spans ticks.
    /// </summary>
    public int StatementsPerJiffy { get; init; } = 16;

    /// <summary>jiffies_till_first_fqs; later scans wait max(1, this) jiffies (jiffies_till_next_fqs).</summary>
    public int JiffiesTillFqs { get; init; } = 1;

    /// <summary>A deliberately broken kernel: call_rcu() lets a callback complete with the grace period already in progress.</summary>
    public bool MutantCallbackRidesCurrentGracePeriod { get; init; }

    /// <summary>A deliberately broken kernel for checking the monitors: ct_irq_enter() forgets to make RCU watch.</summary>
    public bool MutantIrqEnterDoesNotWatch { get; init; }
}

/// <summary>
/// The shared memory of one modelled machine: jiffies, per-CPU variables and rcu_state. Actors
/// (CPUs, the clock, housekeeping kthreads) read and write it one statement per step.
/// </summary>
public sealed class KernelState
{
    private readonly IActorRuntime runtime;

    public KernelState(KernelConfig config, IActorRuntime runtime)
    {
        Access.Boot(config.NohzFullCpus);
        this.config = config;
        this.runtime = runtime;
        HZ = config.HZ;
        jiffies = config.StartJiffies;
        cpus = new CpuState[config.NohzFullCpus];
        idle = new IdleTask[config.NohzFullCpus];
        cpuActors = new ActorId[config.NohzFullCpus];
        for (int i = 0; i < cpus.Length; i++)
        {
            cpus[i] = new CpuState(i, nohzFull: true);
            cpus[i].ct.active = config.ContextTracking;

            // The machine booted long ago: the first tick may come at any statement.
            cpus[i].statements_since_tick = config.StatementsPerJiffy;
            idle[i] = new IdleTask(i);
            cpus[i].curr = idle[i];
        }

        rcu_state = new RcuState();
    }

    public readonly KernelConfig config;

    public readonly int HZ;

    public int jiffies { get; set => field = Access.WriteJiffies(value); }

    public readonly CpuState[] cpus;

    public readonly IdleTask[] idle;

    public readonly RcuState rcu_state;

    /// <summary>The CPU actors, to send them interrupts (a halted CPU waits for one).</summary>
    internal readonly ActorId[] cpuActors;

    /// <summary>Kthreads of the housekeeping CPU, in priority order.</summary>
    public List<TaskStruct> housekeeping { get => Access.Shared(field); } = [];

    /// <summary>Housekeeping kthreads in schedule_timeout(): woken by the tick at the given jiffies.</summary>
    public List<(int expires, TaskStruct task)> sleepers { get => Access.Shared(field); } = [];

    /// <summary>The housekeeping CPU sleeps: time has stopped and all its kthreads sleep.</summary>
    internal bool hk_idle { get => Access.Shared(field); set => field = Access.Shared(value); }

    internal ActorId? hkActor;

    /// <summary>Readers are numbered for the grace-period monitor.</summary>
    internal int nextReader { get => Access.CrossCpu(0, field); set => field = Access.CrossCpu(0, value); }

    /// <summary>call_rcu() callbacks are numbered for the grace-period monitor.</summary>
    internal int nextCallback { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>What a housekeeping kthread yields after setting itself Blocked: sleep until woken.</summary>
    public const string SleepStatement = HousekeepingCpu.Sleep;

    /// <summary>A choice the exploration makes (recorded in the trace), e.g. when a request arrives.</summary>
    public int RandomInteger(int bound) => runtime.RandomInteger(bound);

    /// <summary>time_before(a, b) on jiffies.</summary>
    public static bool TimeBefore(int a, int b) => a - b < 0;

    /// <summary>Raises the reschedule IPI / interrupt line of a CPU so a halted CPU wakes.</summary>
    internal void Kick(CpuState c)
    {
        if (c.in_wfi)
        {
            runtime.SendEvent(cpuActors[c.cpu], CpuMachine.Interrupt.Instance);
        }
    }

    /// <summary>The housekeeping CPU waits for the nohz_full CPUs to run out the current jiffy.</summary>
    internal bool hk_waiting_for_time { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>Every nohz_full CPU is halted or has run a jiffy's worth of statements since the last tick.</summary>
    internal bool TimeMayPass()
    {
        foreach (CpuState c in cpus)
        {
            if (!c.in_wfi && c.statements_since_tick < config.StatementsPerJiffy)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Called after each statement of a nohz_full CPU: lets a housekeeping CPU waiting for time go on.
    /// A statement of long work (<see cref="TaskStruct.long_work"/>) takes a whole jiffy.
    /// </summary>
    internal void StatementRan(CpuState c, bool longWork)
    {
        // Only "has it run out its jiffy" matters, so the count stops there: states that differ in
        // how far past the jiffy a CPU has run are one state.
        c.statements_since_tick = Math.Min(config.StatementsPerJiffy, c.statements_since_tick + (longWork ? config.StatementsPerJiffy : 1));

        // Until this CPU runs out its jiffy or halts, time cannot pass: a statement that leaves it
        // mid-jiffy need not look at the housekeeping CPU.
        if ((c.statements_since_tick >= config.StatementsPerJiffy || c.in_wfi) && hk_idle && hk_waiting_for_time && TimeMayPass())
        {
            hk_idle = false;
            hk_waiting_for_time = false;
            runtime.SendEvent(hkActor!, HousekeepingCpu.Wake.Instance);
        }
    }

    /// <summary>Wakes a housekeeping kthread sleeping in schedule(), and its CPU if that sleeps.</summary>
    internal void WakeHousekeeping(TaskStruct t)
    {
        if (t.state != TaskState.Blocked)
        {
            return;
        }

        t.state = TaskState.Running;
        if (hk_idle)
        {
            hk_idle = false;
            hk_waiting_for_time = false;
            runtime.SendEvent(hkActor!, HousekeepingCpu.Wake.Instance);
        }
    }

    /// <summary>Counts what the model observes in a statistics run; null otherwise.</summary>
    public Specs.IPropertyTally? tally;

    /// <summary>Tells every registered property monitor about an event (unregistered ones ignore it).</summary>
    public void Observe(Monitor.Event e)
    {
        tally?.Observed(e);
        Specification.Monitor<Specs.Rcu.GracePeriodGuarantee>(e);
        Specification.Monitor<Specs.Rcu.GracePeriodCompletion>(e);
        Specification.Monitor<Specs.Latency.NoRcucWakeupBeforeReentry>(e);
        Specification.Monitor<Specs.Latency.NoSuppressionWithoutReentry>(e);
        Specification.Monitor<Specs.Latency.NoRcucWakeupEnteringIdle>(e);
    }

    /// <summary>
    /// Boots the machine: one actor per nohz_full CPU and one for the housekeeping CPU, which runs
    /// the RCU grace-period kthread, then <paramref name="housekeepingTasks"/>, and keeps time.
    /// </summary>
    public void Boot(params TaskStruct[] housekeepingTasks)
    {
        rcu_state.gp_kthread = new RcuGpKthread();
        housekeeping.Add(rcu_state.gp_kthread);
        housekeeping.AddRange(housekeepingTasks);
        foreach (CpuState c in cpus)
        {
            c.rcuc = new RcucKthread(c.cpu) { state = TaskState.Blocked };
            cpuActors[c.cpu] = runtime.CreateActor(typeof(CpuMachine), new CpuMachine.Setup(this, c.cpu));
        }

        hkActor = runtime.CreateActor(typeof(HousekeepingCpu), new HousekeepingCpu.Setup(this));
    }
}
