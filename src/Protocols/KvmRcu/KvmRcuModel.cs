using Verify.Actors;
using Verify.Protocols.Kernel;
using Verify.Protocols.Kernel.Rcu;
using Verify.Specs.Latency;
using Verify.Specs.Rcu;
using Verify.SystematicTesting;

namespace Verify.Protocols.KvmRcu;

/// <summary>Sizes of a KVM/RCU configuration; the defaults are the minimal one.</summary>
public sealed record KvmRcuParams
{
    public int HZ { get; init; } = 4;

    public int MaxTicks { get; init; } = 4;

    /// <summary>rcutree.nohz_full_patience_delay for variant MPatience, in jiffies.</summary>
    public int PatienceJiffies { get; init; } = 2;

    /// <summary>synchronize_rcu() calls by the housekeeping updater.</summary>
    public int GracePeriods { get; init; } = 1;

    /// <summary>call_rcu() calls by a second housekeeping updater.</summary>
    public int Callbacks { get; init; } = 1;

    /// <summary>jiffies_till_first_fqs (and between scans); 0 scans as soon as the grace period starts.</summary>
    public int JiffiesTillFqs { get; init; } = 1;

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

    public static KvmRcuParams Minimal { get; } = new();
}

/// <summary>
/// The KVM/RCU model: a vCPU thread on nohz_full cpu0 (and cpu1 when it migrates), the tick,
/// rcuc/N, the idle task, the RCU grace-period kthread and a synchronize_rcu() caller on the
/// housekeeping side. Every variant of section 3.2 by every scenario, as named tests.
/// </summary>
public static class KvmRcuModel
{
    /// <summary>
    /// The variant x scenario x property matrix, named <c>Variant.Scenario.Property</c>
    /// (e.g. <c>CPlus.GuestHlt.NoRcucWakeupBeforeReentry</c>), each on the minimal configuration.
    /// </summary>
    [TestSource]
    public static IEnumerable<TestCaseSource> Tests =>
        from v in Enum.GetValues<Variant>()
        from s in Scenario.All
        from p in Enum.GetValues<Property>()
        select new TestCaseSource($"{v}.{s.Name}.{p}", r => Run(r, v, s, KvmRcuParams.Minimal with { Properties = [p] }));

    /// <summary>Sets up one configuration in the test body; the engine explores it.</summary>
    public static void Run(IActorRuntime runtime, Variant variant, Scenario scenario, KvmRcuParams p)
    {
        KernelConfig config = variant.Configure(
            new KernelConfig
            {
                HZ = p.HZ,
                MaxTicks = p.MaxTicks,
                NohzFullCpus = scenario.Cpus,
                MutantIrqEnterDoesNotWatch = p.MutantIrqEnterDoesNotWatch,
                MutantCallbackRidesCurrentGracePeriod = p.MutantCallbackRidesCurrentGracePeriod,
                JiffiesTillFqs = p.JiffiesTillFqs,
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

        if (p.Statistics is not null)
        {
            runtime.Monitor<NoRcucWakeupBeforeReentry>(new Specs.CountInto(p.Statistics));
            runtime.Monitor<NoSuppressionWithoutReentry>(new Specs.CountInto(p.Statistics));
            runtime.Monitor<NoRcucWakeupEnteringIdle>(new Specs.CountInto(p.Statistics));
        }

        // P-RK-L1: no heuristic may hold off rcu_core beyond min(patience, 1 s) of grace-period age,
        // plus one FQS period and one jiffy for rcuc to report.
        int promise = variant == Variant.MPatience ? Math.Min(p.PatienceJiffies, p.HZ) : p.HZ;
        runtime.Monitor<GracePeriodCompletion>(new GracePeriodCompletion.SetBound(promise + config.JiffiesTillFqs + 1));
        runtime.Monitor<NoRcucWakeupBeforeReentry>(new WindowedMonitor.SetWindow(p.WindowJiffies));
        runtime.Monitor<NoSuppressionWithoutReentry>(new WindowedMonitor.SetWindow(p.WindowJiffies));

        var k = new KernelState(config, runtime) { tally = p.Statistics };
        CpuState cpu0 = k.cpus[0];
        var vcpu = new VcpuThread(variant, scenario.Vcpu, cpu: 0);

        // The vCPU thread starts in userspace (the VMM), about to call KVM_RUN.
        cpu0.curr = vcpu;
        if (cpu0.ct.active)
        {
            cpu0.ct.KernelExit(CtState.User);
        }

        if (scenario.PreemptAfterJiffies > 0)
        {
            var ktimers = new KtimersThread(0, scenario.PreemptWork, scenario.MigrateTo) { state = TaskState.Blocked, vcpu = vcpu };
            cpu0.hrtimers.Add((k.jiffies + scenario.PreemptAfterJiffies, ktimers));
        }

        k.Boot(
            p.Callbacks > 0
                ? [new SynchronizeRcuCaller(p.GracePeriods, p.MaxTicks), new CallRcuCaller(p.Callbacks, p.MaxTicks)]
                : [new SynchronizeRcuCaller(p.GracePeriods, p.MaxTicks)]);
    }
}
