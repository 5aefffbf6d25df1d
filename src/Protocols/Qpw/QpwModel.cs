using Verify.Actors;
using Verify.Kernel.ContextTracking;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Kernel.Work;
using Verify.Protocols.Qpw.Monitors;
using Verify.SystematicTesting;

namespace Verify.Protocols.Qpw;

/// <summary>Sizes and switches of a QPW configuration; the defaults are the minimal one.</summary>
public sealed record QpwParams
{
    public int HZ { get; init; } = 4;

    /// <summary>The rate model: a jiffy lasts at least this many statements on a running CPU (<see cref="KernelConfig.StatementsPerJiffy"/>).</summary>
    public int StatementsPerJiffy { get; init; } = 16;

    /// <summary>Jiffies before time stops; null picks per scenario (<see cref="QpwModel.TicksFor"/>).</summary>
    public int? MaxTicks { get; init; }

    /// <summary>CONFIG_PREEMPT_RT; null takes the variant's kernel.</summary>
    public bool? PreemptRt { get; init; }

    /// <summary>The monitors to register; a verdict cell checks one property so its trace names the one that failed.</summary>
    public IReadOnlyList<Property> Properties { get; init; } = Enum.GetValues<Property>();

    /// <summary>The deliberately broken fast path for P-QPW-S2 (spinlock-mode variants): this CPU's lock is resolved before migrate_disable().</summary>
    public bool MutantCpuReadBeforePin { get; init; }

    /// <summary>Statistics runs: counts what the drains deliver, instead of checking properties.</summary>
    public QpwStatistics? Statistics { get; init; }

    public static QpwParams Minimal { get; } = new();
}

/// <summary>
/// The QPW model: the drainer on the housekeeping CPU (or an ordinary CPU), and on CPU 0 the owner
/// task, a SCHED_FIFO poller, kworker/0, migration/0, as each scenario says. Every variant by every
/// scenario, as named tests.
/// </summary>
public static class QpwModel
{
    /// <summary>
    /// The variant x scenario x property matrix, named <c>Variant.Scenario.Property</c>
    /// (e.g. <c>Baseline.FifoPollerLru.FlushCompletes</c>), each on the minimal configuration;
    /// a property that says nothing about the scenario's caller has no cell.
    /// </summary>
    [TestSource]
    public static IEnumerable<TestCaseSource> Tests =>
        from v in Enum.GetValues<Variant>()
        from s in Scenario.All
        from p in Enum.GetValues<Property>()
        where p.AppliesTo(s.Caller)
        select new TestCaseSource($"{v}.{s.Name}.{p}", r => Run(r, v, s, QpwParams.Minimal with { Properties = [p] }));

    /// <summary>
    /// Jiffies a run lasts: three, time for the hrtimers that wake the poller and migration/0; six
    /// with a cpuset writer, whose synchronize_rcu() needs a grace period to end.
    /// </summary>
    public static int TicksFor(Scenario scenario, QpwParams p) => p.MaxTicks ?? (scenario.CpusetWriter ? 6 : 3);

    /// <summary>
    /// The step bound of a sampled run with a FIFO poller. A poller that starves a task behind it
    /// polls on after the clock stopped (<see cref="FifoPoller"/>), so such a run ends only at a step
    /// bound; the runs that end by themselves take at most about 110 steps in the built-in poller
    /// scenarios of three jiffies and at most 156 in those of six (with a cpuset writer), so 400
    /// leaves them whole, and since the monitor is hot for at most a whole run that ends, a drain (or
    /// the writer's wait) still hot after half of the bound (200 steps) in a fair run can only be one
    /// that never returns.
    /// </summary>
    public const int PollerStepBound = 400;

    /// <summary>
    /// <see cref="PollerStepBound"/> for a configuration whose clock may run longer than the minimal
    /// one: a run that ends takes at most about 26 steps a jiffy of 16 statements (156 in six jiffies
    /// with a cpuset writer; 110 in three, 221 in twelve without), so the bound grows by the factor the
    /// clock grows past six jiffies of 16 statements, which keeps those runs within half of it. Never
    /// less than <see cref="PollerStepBound"/>.
    /// </summary>
    public static int PollerStepBoundFor(Scenario scenario, QpwParams p)
    {
        const int minimalClock = 6 * 16;
        long clock = (long)TicksFor(scenario, p) * p.StatementsPerJiffy;
        long factor = Math.Max(1, (clock + minimalClock - 1) / minimalClock);
        return (int)Math.Min(int.MaxValue, factor * PollerStepBound);
    }

    /// <summary>Sets up one configuration in the test body; the engine explores it.</summary>
    public static void Run(IActorRuntime runtime, Variant variant, Scenario scenario, QpwParams p)
    {
        bool rt = p.PreemptRt ?? variant.PreemptRt();
        if (variant.EmulatesCpu() && !rt)
        {
            throw new ArgumentException($"{variant} is modelled on PREEMPT_RT only: without it local_lock() is preempt_disable() on the requester's own CPU and excludes nothing on the CPU it emulates.", nameof(p));
        }

        if (scenario.SecondDrainer && scenario.CpusetWriter)
        {
            throw new ArgumentException($"{scenario.Name}: the second drainer runs on CPU 1, where the cpuset writer's scenario puts the first.", nameof(scenario));
        }

        if (scenario.SecondCaller is not null && (scenario.CpusetWriter || scenario.HasPoller))
        {
            throw new ArgumentException($"{scenario.Name}: a work mix has no cpuset writer or poller, which act on the first caller's data only.", nameof(scenario));
        }

        int drainerCpu = DrainerCpu(variant, scenario, rt);
        var config = new KernelConfig
        {
            HZ = p.HZ,
            MaxTicks = TicksFor(scenario, p),
            StatementsPerJiffy = p.StatementsPerJiffy,
            Cpus = Math.Max(scenario.Cpus, drainerCpu + 1),
            NohzFullMask = scenario.IsolatedAtBoot,
            PreemptRt = rt,

            // Each configuration's default: RCU_SOFTIRQ on !PREEMPT_RT, rcuc/N kthreads on PREEMPT_RT.
            RcuUseSoftirq = !rt,
            HousekeepingTouchesCpus = true,
        };

        Register(runtime, p);
        p.Statistics?.NewRun();
        var k = new KernelState(config, runtime);
        k.AddObserver(QpwObserver.Instance);
        if (p.Statistics is not null)
        {
            k.AddObserver(p.Statistics);
        }

        Workqueues.Boot(k);
        var isolation = new CpuIsolation(scenario.IsolatedAtBoot);
        var q = new QpwKernel(k, variant, scenario.Caller, isolation, p.MutantCpuReadBeforePin);
        Fill(q, scenario);

        for (int c = 0; c < scenario.Cpus; c++)
        {
            if (isolation.CpuIsIsolated(c))
            {
                k.Observe(new IsolationInForce(c));
            }
        }

        BootCpu0(k, q, scenario);
        var housekeeping = new List<TaskStruct>();
        var drainer = new Drainer(q, "drainer", drainerCpu, scenario.DrainerStartSpread);
        if (drainerCpu < 0)
        {
            housekeeping.Add(drainer);
        }
        else
        {
            k.SetCurrent(k.cpus[drainerCpu], drainer);
        }

        if (scenario.SecondDrainer)
        {
            QpwKernel q2 = scenario.SecondCaller is Caller other && other != scenario.Caller
                ? new QpwKernel(k, variant, other, isolation, p.MutantCpuReadBeforePin, q.ecpuLock)
                : q;
            if (q2 != q)
            {
                Fill(q2, scenario);
            }

            k.SetCurrent(k.cpus[1], new Drainer(q2, "drainer2", 1));
        }

        if (scenario.CpusetWriter)
        {
            housekeeping.Add(new CpusetWriter(q, 0));
        }

        k.Boot([.. housekeeping]);
    }

    /// <summary>The items each CPU's cache holds at boot.</summary>
    private static void Fill(QpwKernel q, Scenario scenario)
    {
        for (int c = 0; c < scenario.ItemsAtBoot.Count; c++)
        {
            q.pcp[c].nr = scenario.ItemsAtBoot[c];
            q.pcp[c].added = scenario.ItemsAtBoot[c];
        }
    }

    /// <summary>
    /// Where the (first) drainer runs: as the scenario says, but a drainer that must spin on a
    /// remote spinlock_t (QPW's spinlock mode without PREEMPT_RT) gets a modelled CPU of its own,
    /// after the scenario's, since the housekeeping CPU takes sleeping locks only.
    /// </summary>
    public static int DrainerCpu(Variant variant, Scenario scenario, bool preemptRt) =>
        scenario.DrainerCpu < 0 && !preemptRt && variant.RemoteSpinlock(scenario.Caller) ? scenario.Cpus : scenario.DrainerCpu;

    /// <summary>CPU 0's tasks: the poller or the owner current, and the hrtimer-woken poller or migration/0.</summary>
    private static void BootCpu0(KernelState k, QpwKernel q, Scenario scenario)
    {
        CpuState cpu0 = k.cpus[0];
        if (scenario.PollerAtBoot)
        {
            // Back from the syscall that filled the cache, with the drain it queued under IsolatedTaskWork.
            var poller = new FifoPoller(q, 0) { lru_drain_pending = q.Variant.LruDrainsOnResume(q.Caller) && cpu0.nohz_full };
            k.SetCurrent(cpu0, poller);
        }

        if (scenario.OwnerOps == 0)
        {
            return;
        }

        // The owner is in user space, about to make its first syscall.
        var owner = new OwnerTask(q, scenario.OwnerOps, 0) { user_mode = true };
        k.SetCurrent(cpu0, owner);
        if (cpu0.ct.active)
        {
            cpu0.ct.UserEnter(CtState.User);
        }

        if (scenario.PollerWakesAfterJiffies > 0)
        {
            var poller = new FifoPoller(q, 0) { state = TaskState.Blocked, on_rq = false };
            cpu0.hrtimers.Add((k.jiffies + scenario.PollerWakesAfterJiffies, poller));
        }

        if (scenario.OwnerMigratesAfterJiffies > 0)
        {
            new MigrationThread(0, owner, 1).Arm(k, scenario.OwnerMigratesAfterJiffies);
        }
    }

    private static void Register(IActorRuntime runtime, QpwParams p)
    {
        if (p.Statistics is not null)
        {
            return;
        }

        foreach (Property property in p.Properties)
        {
            switch (property)
            {
                case Property.MutualExclusion: runtime.RegisterMonitor<MutualExclusion>(); break;
                case Property.RightCpu: runtime.RegisterMonitor<RightCpu>(); break;
                case Property.Conservation: runtime.RegisterMonitor<Conservation>(); break;
                case Property.DrainedByReturn: runtime.RegisterMonitor<DrainedByReturn>(); break;
                case Property.FlushCompletes: runtime.RegisterMonitor<FlushCompletes>(); break;
                case Property.NoIsolatedInterference: runtime.RegisterMonitor<NoIsolatedInterference>(); break;
                case Property.FlushingBitCleared: runtime.RegisterMonitor<FlushingBitCleared>(); break;
            }
        }
    }
}
