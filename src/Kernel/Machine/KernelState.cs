using Verify.Actors;
using Verify.Kernel.Irq;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sched;
using Verify.Kernel.Time;
using Verify.Specifications;

namespace Verify.Kernel.Machine;

/// <summary>
/// The shared memory of one modelled machine: jiffies, per-CPU variables and rcu_state. Actors
/// (CPUs, the housekeeping CPU that keeps time) read and write it one statement per step.
/// </summary>
public sealed class KernelState
{
    private readonly IActorRuntime runtime;
    private readonly List<IKernelObserver> observers = [];

    /// <summary>
    /// The memory substrate whose words the tasks access, when the model has one: a CPU step that
    /// moved its <see cref="Memory.SharedMemory.SharedAccesses"/> (a load, a store, an atomic, or a
    /// barrier that drains a store buffer or joins the global fence view) is a shared step for
    /// partial-order reduction. Not model state (the memory hashes itself through its actors).
    /// </summary>
    [field: NotHashed]
    public Verify.Kernel.Memory.SharedMemory? Memory { get; set; }

    public KernelState(KernelConfig config, IActorRuntime runtime)
    {
        if (config.HousekeepingCpus < 1)
        {
            throw new ArgumentException($"KernelConfig.HousekeepingCpus is {config.HousekeepingCpus}: a machine has at least one housekeeping CPU, the one that keeps time.", nameof(config));
        }

        Access.Boot(config.Cpus, config.HousekeepingTouchesCpus);
        this.config = config;
        this.runtime = runtime;
        HZ = config.HZ;
        jiffies = config.StartJiffies;
        cpus = new CpuState[config.Cpus];
        idle = new IdleTask[config.Cpus];
        cpuActors = new ActorId[config.Cpus];
        for (int i = 0; i < cpus.Length; i++)
        {
            bool nohzFull = config.NohzFull && (config.NohzFullMask is not int mask || (mask & (1 << i)) != 0);
            cpus[i] = new CpuState(i, nohzFull, config.CtWorkBits, config.CtRcuWatchingWidth);

            // The machine booted long ago: the first tick may come at any statement.
            cpus[i].statements_since_tick = config.StatementsPerJiffy;
            idle[i] = new IdleTask(i);
            SetCurrent(cpus[i], idle[i]);
        }

        rcu_state = new RcuState(config.Cpus);
        hk_idle = new bool[config.HousekeepingCpus];
        hkActors = new ActorId[config.HousekeepingCpus];
    }

    [Frozen]
    public readonly KernelConfig config;

    public readonly int HZ;

    public int jiffies { get; set => field = Access.WriteJiffies(value); }

    public readonly CpuState[] cpus;

    public readonly IdleTask[] idle;

    public readonly RcuState rcu_state;

    /// <summary>The CPU actors, to send them interrupts (a halted CPU waits for one).</summary>
    [Frozen]
    internal readonly ActorId[] cpuActors;

    /// <summary>Kthreads of the housekeeping CPUs, in priority order; each runs on the one its task_cpu() names.</summary>
    public List<TaskStruct> housekeeping { get => Access.Shared(field); } = [];

    /// <summary>Housekeeping kthreads in schedule_timeout(): woken by the tick at the given jiffies.</summary>
    public List<(int expires, TaskStruct task)> sleepers { get => Access.Shared(field); } = [];

    /// <summary>
    /// Per housekeeping CPU: it sleeps, all its kthreads asleep (the first, which keeps time, also
    /// waiting for time to pass or with time stopped).
    /// </summary>
    internal bool[] hk_idle { get => Access.Shared(field); }

    /// <summary>The housekeeping CPUs' actors, the timekeeper first.</summary>
    [Frozen]
    internal readonly ActorId[] hkActors;

    /// <summary>
    /// task_cpu() of a kthread bound to housekeeping CPU <paramref name="index"/> (0 is the timekeeper):
    /// housekeeping CPUs are numbered -1, -2, ... so that a negative CPU always means housekeeping.
    /// </summary>
    public static int HousekeepingCpuId(int index) => -1 - index;

    /// <summary>A housekeeping CPU's name in reports: "the housekeeping CPU" for the first, "housekeeping CPU 1" and on for the others.</summary>
    public static string HousekeepingCpuName(int cpu) => cpu == -1 ? "the housekeeping CPU" : $"housekeeping CPU {-1 - cpu}";

    /// <summary>Readers are numbered for the grace-period monitor.</summary>
    public int nextReader { get => Access.CrossCpu(0, field); set => field = Access.CrossCpu(0, value); }

    /// <summary>call_rcu() callbacks are numbered for the grace-period monitor.</summary>
    internal int nextCallback { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>Pending timer_lists, fired by the housekeeping CPU's tick.</summary>
    public List<Time.TimerList> timers { get => Access.Shared(field); } = [];

    /// <summary>The per-CPU workqueue pools, once a model boots them (<see cref="Work.Workqueues.Boot"/>).</summary>
    public Work.Workqueues? workqueues { get; set; }

    /// <summary>The slab allocator's bookkeeping, created by the first kzalloc() (<see cref="Lifetime.Heap.Of"/>).</summary>
    public Lifetime.Heap? heap { get; set; }

    /// <summary>lockdep's lock dependency graph, created by the first dependency (<see cref="Sync.LockDependencies.Of"/>).</summary>
    public Sync.LockDependencies? lockdep { get; set; }

    /// <summary>Cross-CPU function calls, once a model boots them (<see cref="Irq.Smp.Boot"/>).</summary>
    public Irq.Smp? smp { get; set; }

    /// <summary>
    /// The machine's memory in its ordering mode, once a model boots one (<see cref="BootMemory"/>):
    /// the words it routes through it (ct->state) are read by other CPUs from there. Memory CPU N is
    /// modelled CPU N; the housekeeping CPU is <see cref="HousekeepingMemoryCpu"/>.
    /// </summary>
    public Verify.Kernel.Memory.SharedMemory? mem { get; private set; }

    /// <summary>The housekeeping CPU's index in <see cref="mem"/>: after the modelled CPUs.</summary>
    public int HousekeepingMemoryCpu => cpus.Length;

    /// <summary>
    /// Boots the machine's memory in <paramref name="mode"/> (in the test body: TSO creates actors)
    /// with one memory CPU per modelled CPU and one for the housekeeping CPU, and routes every CPU's
    /// ct->state through it (<see cref="ContextTracking.ContextTrackingState.RouteThrough"/>).
    /// </summary>
    public Verify.Kernel.Memory.SharedMemory BootMemory(Verify.Kernel.Memory.MemoryMode mode, int staleStores = 3, bool relaxedCtStateInc = false)
    {
        mem = Verify.Kernel.Memory.SharedMemory.Boot(runtime, mode, cpus.Length + 1, staleStores);
        if (mode != Verify.Kernel.Memory.MemoryMode.Sc)
        {
            // A weak mode's flushes and fences make a CPU's memory steps shared for the reduction
            // (under SC the routed word's accesses are shared steps already, and counts stay as they were).
            Memory = mem;
        }

        foreach (CpuState c in cpus)
        {
            c.ct.RouteThrough(mem, relaxedCtStateInc);
        }

        return mem;
    }

    /// <summary>Hooks rcu_pending() consults before its nohz_full early return (a protocol's heuristic).</summary>
    [field: Frozen]
    public List<IRcuPendingHook> rcu_pending_hooks { get; } = [];

    /// <summary>Hooks the scheduling-clock interrupt calls on every tick, in the order they were added (<see cref="ITickHook"/>).</summary>
    [field: Frozen]
    public List<ITickHook> tick_hooks { get; } = [];

    /// <summary>A choice the exploration makes (recorded in the trace), e.g. when a request arrives.</summary>
    public int RandomInteger(int bound) => runtime.RandomInteger(bound);

    /// <summary>time_before(a, b) on jiffies.</summary>
    public static bool TimeBefore(int a, int b) => a - b < 0;

    /// <summary>Makes <paramref name="t"/> the task running on <paramref name="c"/> at boot, at the preemption count its code expects.</summary>
    public void SetCurrent(CpuState c, TaskStruct t)
    {
        c.curr = t;
        t.cpu = c.cpu;
        t.on_rq = true;

        // The idle task loops with preemption disabled (cpu_startup_entry); a task in user mode or
        // about to run its body has none.
        c.preempt_count = t is IdleTask ? 1 : 0;
    }

    /// <summary>Raises the reschedule IPI / interrupt line of a CPU so a halted (or spinning) CPU wakes.</summary>
    internal void Kick(CpuState c)
    {
        if (c.in_wfi)
        {
            runtime.SendEvent(cpuActors[c.cpu], CpuMachine.Interrupt.Instance);
        }
    }

    /// <summary>The housekeeping CPU waits for the modelled CPUs to run out the current jiffy.</summary>
    internal bool hk_waiting_for_time { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>
    /// Every modelled CPU is halted with nothing pending, or has run a jiffy's worth of statements
    /// since the last tick. A halted CPU with an interrupt raised must first take it: a real one
    /// wakes within microseconds, so time does not pass over it.
    /// </summary>
    internal bool TimeMayPass()
    {
        foreach (CpuState c in cpus)
        {
            if (!c.HaltedQuietly && c.statements_since_tick < config.StatementsPerJiffy)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Called after each statement of a modelled CPU: lets a housekeeping CPU waiting for time go on.
    /// A statement of long work takes a whole jiffy.
    /// </summary>
    internal void StatementRan(CpuState c, bool longWork)
    {
        // Only "has it run out its jiffy" matters, so the count stops there: states that differ in
        // how far past the jiffy a CPU has run are one state.
        c.statements_since_tick = Math.Min(config.StatementsPerJiffy, c.statements_since_tick + (longWork ? config.StatementsPerJiffy : 1));

        // Until this CPU runs out its jiffy or halts, time cannot pass: a statement that leaves it
        // mid-jiffy need not look at the housekeeping CPU.
        if ((c.statements_since_tick >= config.StatementsPerJiffy || c.in_wfi) && hk_idle[0] && hk_waiting_for_time && TimeMayPass())
        {
            hk_idle[0] = false;
            hk_waiting_for_time = false;
            runtime.SendEvent(hkActors[0], HousekeepingCpu.Wake.Instance);
        }
    }

    /// <summary>Wakes a housekeeping kthread sleeping in schedule(), and its CPU if that sleeps.</summary>
    public void WakeHousekeeping(TaskStruct t)
    {
        if (t.state != TaskState.Blocked)
        {
            return;
        }

        t.state = TaskState.Running;
        int h = HousekeepingIndex(t);
        if (hk_idle[h])
        {
            hk_idle[h] = false;
            if (h == 0)
            {
                hk_waiting_for_time = false;
            }

            runtime.SendEvent(hkActors[h], HousekeepingCpu.Wake.Instance);
        }
    }

    /// <summary>Which housekeeping CPU kthread <paramref name="t"/> is bound to (0 is the timekeeper).</summary>
    internal static int HousekeepingIndex(TaskStruct t) => -1 - t.cpu;

    /// <summary>Registers an observer; a protocol registers the one that feeds its monitors.</summary>
    public void AddObserver(IKernelObserver observer) => observers.Add(observer);

    /// <summary>Tells every registered observer (monitors' feeders, a statistics tally) about an event.</summary>
    public void Observe(Monitor.Event e)
    {
        foreach (IKernelObserver o in observers)
        {
            o.Observe(e);
        }
    }

    /// <summary>
    /// Boots the machine: one actor per modelled CPU and one per housekeeping CPU. The first
    /// housekeeping CPU runs the RCU grace-period kthread and keeps time; each of
    /// <paramref name="housekeepingTasks"/> runs on the housekeeping CPU its task_cpu() names
    /// (<see cref="HousekeepingCpuId"/>; -1, the first, unless the model says otherwise).
    /// </summary>
    public void Boot(params TaskStruct[] housekeepingTasks)
    {
        foreach (TaskStruct t in housekeepingTasks)
        {
            if (t.cpu >= 0 || HousekeepingIndex(t) >= config.HousekeepingCpus)
            {
                throw new ArgumentException(
                    $"{t.comm} is a housekeeping kthread on CPU {t.cpu}: a housekeeping kthread's task_cpu() is HousekeepingCpuId(0..{config.HousekeepingCpus - 1}) (KernelConfig.HousekeepingCpus is {config.HousekeepingCpus}).",
                    nameof(housekeepingTasks));
            }
        }

        rcu_state.gp_kthread = new RcuGpKthread();
        housekeeping.Add(rcu_state.gp_kthread);
        housekeeping.AddRange(housekeepingTasks);
        foreach (CpuState c in cpus)
        {
            rcu_state.rcu_data[c.cpu].rcu_cpu_kthread_task = new RcucKthread(c.cpu) { state = TaskState.Blocked, on_rq = false };
            cpuActors[c.cpu] = runtime.CreateActor(typeof(CpuMachine), new CpuMachine.Setup(this, c.cpu));
        }

        for (int h = 0; h < hkActors.Length; h++)
        {
            hkActors[h] = runtime.CreateActor(typeof(HousekeepingCpu), new HousekeepingCpu.Setup(this, h));
        }
    }
}
