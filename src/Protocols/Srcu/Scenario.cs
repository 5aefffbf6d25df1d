using Verify.Kernel.Memory;

namespace Verify.Protocols.Srcu;

/// <summary>What shares the machine with the updater U on CPU 0 and the grace-period worker on CPU 1.</summary>
public enum ReaderKind
{
    None,

    /// <summary>A reader whose critical section is a statement long.</summary>
    Short,

    /// <summary>A reader that sleeps across a jiffy inside its critical section.</summary>
    Sleeping,
}

/// <summary>
/// One configuration: U issues back-to-back expedited grace periods on CPU 0 (whose kworker also
/// invokes the callbacks), the worker process_srcu() runs on CPU 1's kworker, and CPU 2, when there
/// is one, runs a reader or a second updater. Each is at its minimal size.
/// </summary>
public sealed record Scenario
{
    public required string Name { get; init; }

    public ReaderKind Reader { get; init; }

    /// <summary>A second updater U2 on CPU 2 makes one expedited call once U's first grace period has reached SCAN2, so its funnel path meets the worker at that grace period's end.</summary>
    public bool SecondUpdater { get; init; }

    /// <summary>The tick is due at boot, so the first grace period can start just before jiffies is incremented; otherwise a tick has just passed.</summary>
    public bool TickDueAtBoot { get; init; }

    /// <summary>U calls cleanup_srcu_struct() after its last grace period, racing the worker's tail.</summary>
    public bool Cleanup { get; init; }

    /// <summary>Grace periods U issues; null takes the parameters' (two by default).</summary>
    public int? Gps { get; init; }

    /// <summary>Jiffies the sleeping reader sleeps; null takes the parameters' (one by default).</summary>
    public int? ReaderSleepJiffies { get; init; }

    /// <summary>Jiffies before time stops; null takes <see cref="SrcuModel.TicksFor"/>'s rule.</summary>
    public int? Ticks { get; init; }

    /// <summary>The one property the matrix checks on this scenario; null for every property.</summary>
    public Property? OnlyProperty { get; init; }

    /// <summary>
    /// The short reader loads what kvm->srcu protects (<see cref="Memslots"/>): it srcu_dereference()s
    /// kvm->memslots[0] and reads the set's generation, while U publishes a new set, waits and frees
    /// the old one. Judged by P-SR-S3 (and P-SR-S1).
    /// </summary>
    public bool Memslots { get; init; }

    /// <summary>How the machine's memory orders accesses (SC unless the name says TSO or LKMM).</summary>
    public MemoryMode Memory { get; init; } = MemoryMode.Sc;

    /// <summary>The matrix checks <paramref name="p"/> on this scenario: its one property if it has one; P-SR-S3 and P-SR-S1 where there is protected data, every other property elsewhere.</summary>
    public bool Checks(Property p) =>
        OnlyProperty is Property only ? p == only
        : Memslots ? p is Property.NoUseAfterFree or Property.GracePeriodGuarantee
        : p != Property.NoUseAfterFree;

    /// <summary>A statistics row's vCPU reader on CPU 2.</summary>
    public bool LoadReader { get; init; }

    /// <summary>CPUs modelled statement by statement.</summary>
    public int Cpus => Reader != ReaderKind.None || SecondUpdater || LoadReader ? 3 : 2;

    public static IReadOnlyList<Scenario> All { get; } =
    [
        new() { Name = "NoReaders" },
        new() { Name = "ShortReader", Reader = ReaderKind.Short },
        new() { Name = "SleepingReader", Reader = ReaderKind.Sleeping },
        new() { Name = "SecondUpdater", SecondUpdater = true },
        new() { Name = "GpStartsBeforeTick", TickDueAtBoot = true, Gps = 1 },
        new() { Name = "CleanupRacesWorker", Cleanup = true, Gps = 1 },

        // A reader asleep across more than SRCU_MAX_INTERVAL jiffies: the grace period's age passes
        // the cap, so srcu_get_delay()'s min(jbase, SRCU_MAX_INTERVAL) is what keeps it in range. The
        // worker's polls back off as the grace period ages, so the clock runs past the reader's end.
        new() { Name = "LongSleepingReader", Reader = ReaderKind.Sleeping, ReaderSleepJiffies = 12, Ticks = 20, Gps = 1, OnlyProperty = Property.DelayInRange },

        // The memory-ordering cells: one vCPU reader of kvm->memslots on CPU 2 against one updater
        // that replaces and frees the set, under SC, x86-TSO and the LKMM approximation.
        new() { Name = "Memslots", Reader = ReaderKind.Short, Memslots = true, Gps = 1 },
        new() { Name = "MemslotsTso", Reader = ReaderKind.Short, Memslots = true, Gps = 1, Memory = MemoryMode.Tso },
        new() { Name = "MemslotsLkmm", Reader = ReaderKind.Short, Memslots = true, Gps = 1, Memory = MemoryMode.Lkmm },
    ];

    public static Scenario Named(string name) => All.Single(s => s.Name == name);
}
