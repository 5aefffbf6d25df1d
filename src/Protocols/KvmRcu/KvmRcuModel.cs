using Verify.Actors;
using Verify.Kernel.ContextTracking;
using Verify.Kernel.Machine;
using Verify.Kernel.Memory;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sched;
using Verify.Protocols.KvmRcu.Monitors;
using Verify.Protocols.Shared;
using Verify.Specs.Rcu;
using Verify.SystematicTesting;

namespace Verify.Protocols.KvmRcu;

/// <summary>Sizes of a KVM/RCU configuration; the defaults are the minimal one.</summary>
public sealed record KvmRcuParams
{
    public int HZ { get; init; } = 4;

    /// <summary>Jiffies before time stops; null picks per property (<see cref="KvmRcuModel.TicksFor"/>).</summary>
    public int? MaxTicks { get; init; }

    /// <summary>rcutree.nohz_full_patience_delay for variant MPatience, in jiffies.</summary>
    public int PatienceJiffies { get; init; } = 2;

    /// <summary>synchronize_rcu() calls by the housekeeping updater.</summary>
    public int GracePeriods { get; init; } = 1;

    /// <summary>call_rcu() calls by a second housekeeping updater.</summary>
    public int Callbacks { get; init; } = 1;

    /// <summary>
    /// rcutree.jiffies_till_first_fqs (and between scans); 0 scans as soon as the grace period
    /// starts. Null picks per property (<see cref="KvmRcuModel.FqsFor"/>).
    /// </summary>
    public int? JiffiesTillFqs { get; init; }

    /// <summary>How soon after a wakeup or suppression a re-entry counts, for the latency monitors.</summary>
    public int WindowJiffies { get; init; } = 1;

    /// <summary>The monitors to register; a test checks one property so its trace names the one that failed.</summary>
    public IReadOnlyList<Property> Properties { get; init; } = Enum.GetValues<Property>();

    /// <summary>Statistics runs: the latency monitors count into this instead of failing.</summary>
    public KvmRcuStatistics? Statistics { get; init; }

    /// <summary>A deliberately broken kernel (ct_irq_enter does not make RCU watch), to show the guarantee monitor can fail.</summary>
    public bool MutantIrqEnterDoesNotWatch { get; init; }

    /// <summary>A deliberately broken call_rcu() whose callback may complete with the grace period already in progress.</summary>
    public bool MutantCallbackRidesCurrentGracePeriod { get; init; }

    /// <summary>A deliberately broken rcu_nohz_full_cpu() without its one-second cap.</summary>
    public bool MutantNoGracePeriodAgeCap { get; init; }

    /// <summary>A deliberately broken FQS scan that never counts an extended quiescent state.</summary>
    public bool MutantFqsIgnoresEqs { get; init; }

    /// <summary>
    /// How the machine's memory orders accesses (<c>--param memory=sc|tso|lkmm</c>); null takes the
    /// scenario's (SC but for the memory-mode scenarios).
    /// </summary>
    public MemoryMode? Memory { get; init; }

    /// <summary>
    /// A deliberately broken ct_state_inc(): atomic_add() instead of atomic_add_return(), so the
    /// counter update on entering or leaving an extended quiescent state orders nothing.
    /// </summary>
    public bool MutantCtStateIncRelaxed { get; init; }

    public static KvmRcuParams Minimal { get; } = new();
}

/// <summary>
/// The KVM/RCU model: a vCPU thread on nohz_full cpu0 (and cpu1 when it migrates), the tick,
/// rcuc/N, the idle task, the RCU grace-period kthread and a synchronize_rcu() caller on the
/// housekeeping side. Every variant by every scenario, as named tests.
/// </summary>
public static class KvmRcuModel
{
    /// <summary>
    /// The variant x scenario x property matrix, named <c>Variant.Scenario.Property</c>
    /// (e.g. <c>CPlus.GuestHlt.NoRcucWakeupEnteringIdle</c>), each on the minimal configuration; the
    /// memory-mode scenarios only with their <see cref="Scenario.Checks"/>.
    /// </summary>
    [TestSource]
    public static IEnumerable<TestCaseSource> Tests =>
        from v in Enum.GetValues<Variant>()
        from s in Scenario.Cells
        from p in Enum.GetValues<Property>()
        where s.Checks is null || s.Checks.Contains(p)
        select new TestCaseSource($"{v}.{s.Name}.{p}", r => Run(r, v, s, KvmRcuParams.Minimal with { Properties = [p] }));

    /// <summary>
    /// The grace-period completion bound in jiffies: min(patience, 1 s) of age, plus one FQS period,
    /// plus two ticks for rcu_core() once rcu_pending() lets it run (its first pass notes the new
    /// grace period, which sets cpu_no_qs; the next tick's pass reports the quiescent state seen
    /// since), plus the scenario's longest stretch in which rcuc cannot run at all (a
    /// non-preemptible softirq, or a SCHED_FIFO kthread that rcuc does not preempt).
    /// </summary>
    public static int CompletionBound(Variant variant, Scenario scenario, KvmRcuParams p) =>
        SuppressionAgeLimit(variant, p) + FqsFor(p) + 2 + scenario.RcucBlockedJiffies;

    /// <summary>
    /// jiffies_till_first_fqs. The guarantee is checked with the FQS scan at once
    /// (rcutree.jiffies_till_first_fqs=0), where the scan races a reader that an interrupt from an
    /// extended quiescent state starts, so a kernel whose ct_irq_enter() forgets to make RCU watch
    /// fails it; the other properties use one jiffy, the default at small HZ.
    /// </summary>
    /// <summary>What a run takes from the properties it checks: its jiffies and its FQS delay.</summary>
    public static (int Ticks, int Fqs) SearchConfiguration(Variant variant, Scenario scenario, KvmRcuParams p) => (TicksFor(variant, scenario, p), FqsFor(p));

    public static int FqsFor(KvmRcuParams p) =>
        p.JiffiesTillFqs ?? (p.Properties.Contains(Property.GracePeriodGuarantee) && !AgeProperty(p) ? 0 : 1);

    /// <summary>min(patience, 1 s) in jiffies: the grace-period age past which no heuristic may hold rcu_core() off.</summary>
    public static int SuppressionAgeLimit(Variant variant, KvmRcuParams p) =>
        variant == Variant.MPatience ? Math.Min(p.PatienceJiffies, p.HZ) : p.HZ;

    /// <summary>
    /// Jiffies a run lasts. The properties about grace-period age need a grace period started in the
    /// first jiffy to be observable past their bound, so they get the completion bound plus two;
    /// the other properties are about windows of a jiffy or two and keep the minimal four.
    /// </summary>
    public static int TicksFor(Variant variant, Scenario scenario, KvmRcuParams p) =>
        p.MaxTicks ?? (AgeProperty(p) ? CompletionBound(variant, scenario, p) + 2 : 4);

    private static bool AgeProperty(KvmRcuParams p) =>
        p.Properties.Contains(Property.GracePeriodCompletion) || p.Properties.Contains(Property.NoSuppressionOfAnOldGracePeriod);

    /// <summary>The weak modes' bound: a TSO store buffer's size, how far behind an LKMM load may read.</summary>
    public const int StaleStores = 3;

    /// <summary>Sets up one configuration in the test body; the engine explores it.</summary>
    public static void Run(IActorRuntime runtime, Variant variant, Scenario scenario, KvmRcuParams p)
    {
        int ticks = TicksFor(variant, scenario, p);
        KernelConfig config = variant.Configure(
            new KernelConfig
            {
                HZ = p.HZ,
                MaxTicks = ticks,
                Cpus = scenario.Cpus,
                MutantIrqEnterDoesNotWatch = p.MutantIrqEnterDoesNotWatch,
                MutantCallbackRidesCurrentGracePeriod = p.MutantCallbackRidesCurrentGracePeriod,
                MutantNoGracePeriodAgeCap = p.MutantNoGracePeriodAgeCap,
                MutantFqsIgnoresEqs = p.MutantFqsIgnoresEqs,
                JiffiesTillFqs = FqsFor(p),
            },
            p.PatienceJiffies);

        if (p.Properties.Contains(Property.GracePeriodGuarantee))
        {
            runtime.RegisterMonitor<GracePeriodGuarantee>();
        }

        if (p.Properties.Contains(Property.GracePeriodCompletion))
        {
            runtime.RegisterMonitor<GracePeriodCompletion>();
        }

        if (p.Properties.Contains(Property.NoRcucWakeupBeforeReentry))
        {
            runtime.RegisterMonitor<NoRcucWakeupBeforeReentry>();
        }

        if (p.Properties.Contains(Property.NoSuppressionWithoutReentry))
        {
            runtime.RegisterMonitor<NoSuppressionWithoutReentry>();
        }

        if (p.Properties.Contains(Property.NoRcucWakeupEnteringIdle))
        {
            runtime.RegisterMonitor<NoRcucWakeupEnteringIdle>();
        }

        if (p.Properties.Contains(Property.NoSuppressionOfAnOldGracePeriod))
        {
            runtime.RegisterMonitor<NoSuppressionOfAnOldGracePeriod>();
        }

        if (p.Statistics is not null)
        {
            runtime.Monitor<NoRcucWakeupBeforeReentry>(new Specs.CountInto(p.Statistics));
            runtime.Monitor<NoSuppressionWithoutReentry>(new Specs.CountInto(p.Statistics));
            runtime.Monitor<NoRcucWakeupEnteringIdle>(new Specs.CountInto(p.Statistics));
        }

        runtime.Monitor<GracePeriodCompletion>(new GracePeriodCompletion.SetBound(CompletionBound(variant, scenario, p)));
        runtime.Monitor<NoSuppressionOfAnOldGracePeriod>(new NoSuppressionOfAnOldGracePeriod.SetLimit(SuppressionAgeLimit(variant, p)));
        runtime.Monitor<NoRcucWakeupBeforeReentry>(new WindowedMonitor.SetWindow(p.WindowJiffies));
        runtime.Monitor<NoSuppressionWithoutReentry>(new WindowedMonitor.SetWindow(p.WindowJiffies));

        var k = new KernelState(config, runtime);
        if (p.Statistics is not null)
        {
            k.AddObserver(p.Statistics);
        }

        k.AddObserver(RcuSpecObserver.Instance);
        k.AddObserver(KvmRcuObserver.Instance);
        var kvm = new PerCpu<KvmCpu>(config.Cpus, cpu => new KvmCpu(cpu));
        k.rcu_pending_hooks.Add(new KvmRcuPendingHook(variant, kvm));

        // The vCPU thread starts in userspace (the VMM), about to call KVM_RUN.
        CpuState cpu0 = k.cpus[0];
        var vcpu = new VcpuThread(variant, scenario.Vcpu, kvm, cpu: 0) { user_mode = true };
        k.SetCurrent(cpu0, vcpu);
        if (cpu0.ct.active)
        {
            cpu0.ct.UserEnter(CtState.User);
        }

        if (scenario.PreemptAfterJiffies > 0)
        {
            var kthread = new IrqThread(0, scenario.PreemptWork, scenario.MigrateTo) { state = TaskState.Blocked, vcpu = vcpu };
            cpu0.hrtimers.Add((k.jiffies + scenario.PreemptAfterJiffies, kthread));
        }

        // Requests come at any jiffy of the run; for the completion property within the first two,
        // so that a grace period they start can be seen past its bound before time stops.
        int spread = AgeProperty(p) ? 2 : ticks;
        k.Boot(
            p.Callbacks > 0
                ? [new SynchronizeRcuCaller(p.GracePeriods, spread), new CallRcuCaller(p.Callbacks, spread)]
                : [new SynchronizeRcuCaller(p.GracePeriods, spread)]);

        // ct->state in the machine's memory, where the FQS scan reads it (after the boot-time
        // ct_user_enter() above, and after the CPUs' actors, so that a TSO store buffer's actor
        // comes after them).
        k.BootMemory(p.Memory ?? scenario.Memory, StaleStores, p.MutantCtStateIncRelaxed);
    }
}
