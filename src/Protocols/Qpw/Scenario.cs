namespace Verify.Protocols.Qpw;

/// <summary>
/// Who acts on CPU 0's lock and data besides the drainer, for one caller: the actors of the
/// upstream discussion paired with the drainer, and the owner and the poller each paired with the
/// cpuset writer, each at its minimal size (the README's table of the 21 pairs says which pairing
/// covers each pair, or why none is needed). CPU 0 is the target
/// (isolated unless a cpuset writer isolates it); CPU 1, when modelled, is an ordinary CPU.
/// The drainer runs on the housekeeping CPU unless it must be a modelled CPU (an RCU reader).
/// </summary>
public sealed record Scenario
{
    public required string Name { get; init; }

    public required Caller Caller { get; init; }

    /// <summary>CPUs modelled statement by statement (the housekeeping CPU comes on top).</summary>
    public int Cpus { get; init; } = 1;

    /// <summary>The CPUs isolated from boot (bit N for CPU N): CPU 0, unless the cpuset writer isolates it.</summary>
    public int IsolatedAtBoot { get; init; } = 1;

    /// <summary>Items already in each modelled CPU's cache at boot (index = CPU).</summary>
    public IReadOnlyList<int> ItemsAtBoot { get; init; } = [1];

    /// <summary>Fast-path operations by an ordinary (SCHED_OTHER) owner task on CPU 0, each a syscall; 0 means no owner.</summary>
    public int OwnerOps { get; init; }

    /// <summary>A SCHED_FIFO busy poller on CPU 0: current at boot, returning to user space from the syscall that filled its cache.</summary>
    public bool PollerAtBoot { get; init; }

    /// <summary>A SCHED_FIFO busy poller on CPU 0 that an hrtimer wakes this many jiffies after boot, preempting the owner; 0 means none.</summary>
    public int PollerWakesAfterJiffies { get; init; }

    /// <summary>A SCHED_FIFO poller runs on CPU 0, from boot or woken by its hrtimer.</summary>
    public bool HasPoller => PollerAtBoot || PollerWakesAfterJiffies > 0;

    /// <summary>migration/0 wakes this many jiffies after boot and moves the owner to CPU 1; 0 means no migration.</summary>
    public int OwnerMigratesAfterJiffies { get; init; }

    /// <summary>A second drainer runs on CPU 1 (a modelled, ordinary CPU) against the first.</summary>
    public bool SecondDrainer { get; init; }

    /// <summary>
    /// A work mix: the second drainer drains this caller's per-CPU data, not the scenario's caller's,
    /// so two drains of different caches queue their work on the same kworkers and each flushes its
    /// own; null (the built-in scenarios) drains the same caller twice. The owner's operations use
    /// the first caller's data; a mix has no cpuset writer or poller (they act on one caller's data).
    /// </summary>
    public Caller? SecondCaller { get; init; }

    /// <summary>A cpuset writer on the housekeeping CPU isolates CPU 0 while the drainer, on CPU 1, runs.</summary>
    public bool CpusetWriter { get; init; }

    /// <summary>The housekeeping drainer starts at one of this many first jiffies (the exploration chooses).</summary>
    public int DrainerStartSpread { get; init; } = 1;

    /// <summary>The CPU the (first) drainer runs on: -1 is the housekeeping CPU.</summary>
    public int DrainerCpu => CpusetWriter ? 1 : -1;

    /// <summary>The eight actor pairings, for one caller (the README's table says which pairs they cover, and why the others need none).</summary>
    public static IEnumerable<Scenario> For(Caller caller) =>
    [
        new() { Name = $"Owner{caller}", Caller = caller, OwnerOps = 1 },
        new() { Name = $"FifoPoller{caller}", Caller = caller, PollerAtBoot = true },
        new() { Name = $"OwnerPreemptedByPoller{caller}", Caller = caller, OwnerOps = 1, ItemsAtBoot = [0], PollerWakesAfterJiffies = 1 },
        new() { Name = $"OwnerMigrates{caller}", Caller = caller, Cpus = 2, OwnerOps = 1, ItemsAtBoot = [0, 1], OwnerMigratesAfterJiffies = 1, DrainerStartSpread = 2 },
        new() { Name = $"TwoDrainers{caller}", Caller = caller, Cpus = 2, ItemsAtBoot = [1, 1], SecondDrainer = true },
        new() { Name = $"CpusetIsolates{caller}", Caller = caller, Cpus = 2, IsolatedAtBoot = 0, ItemsAtBoot = [1, 0], CpusetWriter = true },
        new() { Name = $"OwnerCpusetIsolates{caller}", Caller = caller, Cpus = 2, IsolatedAtBoot = 0, ItemsAtBoot = [1, 0], OwnerOps = 1, CpusetWriter = true },
        new() { Name = $"FifoPollerCpusetIsolates{caller}", Caller = caller, Cpus = 2, IsolatedAtBoot = 0, ItemsAtBoot = [1, 0], PollerAtBoot = true, CpusetWriter = true },
    ];

    public static IReadOnlyList<Scenario> All { get; } = Enum.GetValues<Caller>().SelectMany(For).ToList();

    /// <summary>For the statistics: <paramref name="cpus"/> isolated CPUs, each with one item cached, drained once from the housekeeping CPU.</summary>
    public static Scenario Isolated(Caller caller, int cpus) => new()
    {
        Name = $"Isolated{cpus}{caller}",
        Caller = caller,
        Cpus = cpus,
        IsolatedAtBoot = (1 << cpus) - 1,
        ItemsAtBoot = Enumerable.Repeat(1, cpus).ToList(),
    };
}
