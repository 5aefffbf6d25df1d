using Verify.Actors;
using Verify.Kernel.Machine;
using Verify.Kernel.Memory;
using Verify.Kernel.Rcu.Srcu;
using Verify.Kernel.Work;
using Verify.Protocols.Srcu.Monitors;
using Verify.SystematicTesting;

namespace Verify.Protocols.Srcu;

/// <summary>Sizes and switches of an SRCU configuration; the defaults are the minimal one the verdicts use.</summary>
public sealed record SrcuParams
{
    /// <summary>CONFIG_HZ: 250, the arm64 kernel of the qemu report.</summary>
    public int HZ { get; init; } = 250;

    /// <summary>The rate model: a jiffy lasts at least this many statements on a running CPU; the minimal configuration fits a reader-free grace period in one.</summary>
    public int StatementsPerJiffy { get; init; } = 64;

    /// <summary>What one statement costs, in nanoseconds: udelay(us) is us * 1000 / this statements (at least one).</summary>
    public int NsPerStatement { get; init; } = 5000;

    /// <summary>Jiffies before time stops; null picks per scenario (<see cref="SrcuModel.TicksFor"/>).</summary>
    public int? MaxTicks { get; init; }

    /// <summary>
    /// The CPU whose kworker runs process_srcu(): CPU 1 for the verdicts (the worker races the
    /// updater), CPU 0 for the statistics (one CPU runs the updater, the worker and the callbacks, so
    /// its statements since the tick are the time elapsed in the jiffy).
    /// </summary>
    public int WorkerCpu { get; init; } = 1;

    /// <summary>Expedited grace periods U issues back to back (a scenario may fix its own).</summary>
    public int Gps { get; init; } = 2;

    /// <summary>srcu_max_nodelay_phase for the versions with module parameters (4f2bfd9494a0 on); null takes the HZ default. The others have their constant.</summary>
    public int? SrcuMaxNodelayPhase { get; init; }

    /// <summary>srcu_max_nodelay for the versions with module parameters; null takes the default.</summary>
    public int? SrcuMaxNodelay { get; init; }

    /// <summary>srcu_retry_check_delay (SRCU_RETRY_CHECK_DELAY before 4f2bfd9494a0), microseconds.</summary>
    public int SrcuRetryCheckDelay { get; init; } = 5;

    /// <summary>Statements of work inside the short reader's critical section.</summary>
    public int ReaderStatements { get; init; } = 1;

    /// <summary>Jiffies the sleeping reader sleeps inside its critical section.</summary>
    public int ReaderSleepJiffies { get; init; } = 1;

    /// <summary>The memory mode; null takes the scenario's (SC unless its name says TSO or LKMM).</summary>
    public MemoryMode? Memory { get; init; }

    /// <summary>The monitors to register; a verdict cell checks one property so its trace names the one that failed.</summary>
    public IReadOnlyList<Property> Properties { get; init; } = Enum.GetValues<Property>();

    /// <summary>A broken kernel for P-SR-S1: srcu_advance_state() ends the grace period without waiting for the readers of the rank it just flipped away from.</summary>
    public bool MutantSkipScan2 { get; init; }

    /// <summary>A broken kernel for P-SR-S2: process_srcu() and try_check_zero() call srcu_get_delay() without srcu_sup->lock (d31e31365b5b's lock and assertion left out).</summary>
    public bool MutantGetDelayUnlocked { get; init; }

    /// <summary>A broken kernel for P-SR-L1: srcu_get_delay() compares srcu_n_exp_nodelay but never increments it.</summary>
    public bool MutantNoNodelayCount { get; init; }

    /// <summary>A broken kernel for P-SR-L2: srcu_gp_end() always delays callback invocation by a jiffy.</summary>
    public bool MutantCbdelayAlways { get; init; }

    /// <summary>A broken kernel for P-SR-L3: srcu_get_delay() takes a grace period that is exactly the one needed expedited (ULONG_CMP_LE) as still needing one, so after the last grace period it returns 0 and cleanup_srcu_struct() warns.</summary>
    public bool MutantExpeditedOffByOne { get; init; }

    /// <summary>A broken kernel for P-SR-L3: srcu_get_delay() returns jbase without the SRCU_MAX_INTERVAL cap.</summary>
    public bool MutantNoIntervalCap { get; init; }

    /// <summary>A weakened __srcu_read_lock() for P-SR-S3: no smp_mb() B after the lock-count increment, so the section's loads may pass the increment (visible under TSO and LKMM).</summary>
    public bool MutantNoReadLockMb { get; init; }

    /// <summary>Statistics runs: a tally instead of monitors.</summary>
    public SrcuStatistics? Statistics { get; init; }

    public static SrcuParams Minimal { get; } = new();
}

/// <summary>
/// The SRCU model: U on CPU 0 (CPU 0's kworker invokes the callbacks), process_srcu() on CPU 1's
/// kworker, and a reader or U2 on CPU 2. Every variant by every scenario by every property, as named tests.
/// </summary>
public static class SrcuModel
{
    /// <summary>The variant x scenario x property matrix, named <c>Variant.Scenario.Property</c>, on the minimal configuration.</summary>
    [TestSource]
    public static IEnumerable<TestCaseSource> Tests =>
        from v in Enum.GetValues<Variant>()
        from s in Scenario.All
        from p in Enum.GetValues<Property>()
        where s.Checks(p)
        select new TestCaseSource($"{v}.{s.Name}.{p}", r => Run(r, v, s, CellParams(v, p)));

    /// <summary>
    /// srcu_max_nodelay_phase and srcu_max_nodelay in P-SR-L1's cells of the versions with module
    /// parameters (4f2bfd9494a0 on). Their defaults (1000 each at HZ 250) allow more zero-delay passes
    /// than a run of the minimal configuration makes within its step bound, so the bounds could not fail there; with
    /// both at 3 (the per-phase bound of 8f870e6eb8c0) they can, and what the cells check is that the
    /// code honours the parameters it is given.
    /// </summary>
    public const int BoundedNoDelayBudget = 3;

    /// <summary>The minimal configuration of cell <paramref name="v"/>.*.<paramref name="p"/>: <see cref="SrcuParams.Minimal"/>, with <see cref="BoundedNoDelayBudget"/> where it applies.</summary>
    public static SrcuParams CellParams(Variant v, Property p) => CellParams(v, [p]);

    /// <summary>Whether cell <paramref name="v"/>.*.<paramref name="p"/> runs with <see cref="BoundedNoDelayBudget"/>.</summary>
    internal static bool RunsWithBudget(Variant v, Property p) => p == Property.BoundedNoDelay && v.ModuleParams();

    /// <summary>The configuration of a search of several cells of <paramref name="v"/> at once, which share their module parameters.</summary>
    internal static SrcuParams CellParams(Variant v, IReadOnlyList<Property> ps)
    {
        bool budget = ps.Any(p => RunsWithBudget(v, p));
        if (budget && ps.Any(p => !RunsWithBudget(v, p)))
        {
            throw new ArgumentException($"{v}: {string.Join(", ", ps)} do not run one configuration: P-SR-L1's cells run with srcu_max_nodelay_phase = srcu_max_nodelay = {BoundedNoDelayBudget}.", nameof(ps));
        }

        return budget
            ? SrcuParams.Minimal with { Properties = ps, SrcuMaxNodelayPhase = BoundedNoDelayBudget, SrcuMaxNodelay = BoundedNoDelayBudget }
            : SrcuParams.Minimal with { Properties = ps };
    }

    /// <summary>The weak modes' bound: a TSO store buffer's size, how far behind an LKMM load may read.</summary>
    public const int StaleStores = 3;

    /// <summary>Jiffies a run lasts: enough for two grace periods and a reader that sleeps across one.</summary>
    public static int TicksFor(Scenario scenario, SrcuParams p) =>
        p.MaxTicks ?? scenario.Ticks ?? (scenario.Reader == ReaderKind.Sleeping ? 4 + SleepJiffies(scenario, p) : 4);

    /// <summary>Jiffies the sleeping reader sleeps: the scenario's own length, else the parameters'.</summary>
    public static int SleepJiffies(Scenario scenario, SrcuParams p) => scenario.ReaderSleepJiffies ?? p.ReaderSleepJiffies;

    /// <summary>Sets up one configuration in the test body; the engine explores it.</summary>
    public static void Run(IActorRuntime runtime, Variant variant, Scenario scenario, SrcuParams p)
    {
        var config = new KernelConfig
        {
            HZ = p.HZ,
            MaxTicks = TicksFor(scenario, p),
            StatementsPerJiffy = p.StatementsPerJiffy,
            Cpus = scenario.Cpus,
            NohzFull = false,
            HousekeepingTouchesCpus = true,
        };

        Register(runtime, p);
        var k = new KernelState(config, runtime);
        k.AddObserver(p.Statistics is null ? SrcuObserver.Instance : p.Statistics);
        if (!scenario.TickDueAtBoot)
        {
            // A tick has just passed: a grace period with no reader fits in the jiffy.
            foreach (CpuState c in k.cpus)
            {
                c.statements_since_tick = 0;
            }
        }

        Workqueues.Boot(k);

        // Memory CPU n is kernel CPU n. Under TSO this creates a store-buffer actor per CPU.
        SharedMemory mem = SharedMemory.Boot(runtime, p.Memory ?? scenario.Memory, scenario.Cpus, StaleStores);
        k.Memory = mem;
        var ssp = new SrcuStruct(mem, "kvm->srcu", scenario.Cpus, p.WorkerCpu);
        Memslots? memslots = scenario.Memslots ? new Memslots(mem) : null;
        var tree = new SrcuTree(k, ssp, variant, p);
        k.Observe(new SrcuBounds(tree.srcu_max_nodelay_phase, tree.srcu_max_nodelay));
        p.Statistics?.Start(k);
        k.SetCurrent(k.cpus[0], new Updater(tree, "updater", 0, scenario.Gps ?? p.Gps, scenario.Cleanup, memslots: memslots));
        switch (scenario.Reader)
        {
            case ReaderKind.Short:
                k.SetCurrent(k.cpus[2], new Reader(ssp, "reader", 2, p.ReaderStatements, 0, memslots, smpMbB: !p.MutantNoReadLockMb));
                break;
            case ReaderKind.Sleeping:
                k.SetCurrent(k.cpus[2], new Reader(ssp, "reader", 2, 0, SleepJiffies(scenario, p), smpMbB: !p.MutantNoReadLockMb));
                break;
        }

        if (scenario.SecondUpdater)
        {
            k.SetCurrent(k.cpus[2], new Updater(tree, "updater2", 2, 1, cleanup: false, waitForScan2: true));
        }

        if (p.Statistics?.ReaderLoad is ReaderLoad load)
        {
            k.SetCurrent(k.cpus[2], new LoadReader(ssp, load) { StatementsPerUs = 1000.0 / p.NsPerStatement, Stats = p.Statistics });
        }

        k.Boot();
    }

    private static void Register(IActorRuntime runtime, SrcuParams p)
    {
        if (p.Statistics is not null)
        {
            return;
        }

        foreach (Property property in p.Properties)
        {
            switch (property)
            {
                case Property.GracePeriodGuarantee: runtime.RegisterMonitor<GracePeriodGuarantee>(); break;
                case Property.SingleWriter: runtime.RegisterMonitor<SingleWriter>(); break;
                case Property.BoundedNoDelay: runtime.RegisterMonitor<BoundedNoDelay>(); break;
                case Property.ExpeditedNoSleep: runtime.RegisterMonitor<ExpeditedNoSleep>(); break;
                case Property.DelayInRange: runtime.RegisterMonitor<DelayInRange>(); break;
                case Property.NoUseAfterFree: runtime.RegisterMonitor<NoUseAfterFree>(); break;
            }
        }
    }
}
