using System.Globalization;
using Verify.Actors;
using Verify.Kernel.Memory;

namespace Verify.Protocols.KvmRcu;

/// <summary>
/// <see cref="KvmRcuParams"/> as <c>--param NAME=VALUE</c> for the <c>Variant.Scenario.Property</c>
/// tests: the defaults are those of <see cref="KvmRcuModel.Tests"/> (the minimal configuration
/// checking one property), and the body is the one that matrix runs.
/// </summary>
public sealed class KvmRcuParameters : ScenarioParameters<KvmRcuParams>
{
    protected override IReadOnlyList<Knob> Knobs { get; } =
    [
        MemoryKnob("the memory mode: sc, tso or lkmm (by default the scenario's: sc but for the ...Tso and ...Lkmm scenarios)", p => p.Memory, (p, m) => p with { Memory = m }),
        Int("HZ", "jiffies per second (CONFIG_HZ); the one-second cap on a grace period's age is HZ jiffies", 1, 10_000, p => p.HZ, (p, v) => p with { HZ = v }),
        Int("MaxTicks", "jiffies before time stops; by default 4, or the grace-period completion bound plus 2 for the age properties", 1, 100_000, p => p.MaxTicks ?? 0, (p, v) => p with { MaxTicks = v }),
        Int("PatienceJiffies", "rcutree.nohz_full_patience_delay for variant MPatience, in jiffies", 0, 100_000, p => p.PatienceJiffies, (p, v) => p with { PatienceJiffies = v }),
        Int("GracePeriods", "synchronize_rcu() calls by the housekeeping updater", 1, 1_000, p => p.GracePeriods, (p, v) => p with { GracePeriods = v }),
        Int("Callbacks", "call_rcu() calls by a second housekeeping updater (0: no second updater)", 0, 1_000, p => p.Callbacks, (p, v) => p with { Callbacks = v }),
        Int("JiffiesTillFqs", "jiffies_till_first_fqs (and between scans); 0 scans as soon as the grace period starts; by default 0 for the guarantee, else 1", 0, 100_000, p => KvmRcuModel.FqsFor(p), (p, v) => p with { JiffiesTillFqs = v }),
        Int("WindowJiffies", "how soon after an rcuc wakeup or a suppression a re-entry counts, for the latency monitors", 0, 100_000, p => p.WindowJiffies, (p, v) => p with { WindowJiffies = v }),
        Bool("MutantIrqEnterDoesNotWatch", "a broken kernel: ct_irq_enter() does not make RCU watch", p => p.MutantIrqEnterDoesNotWatch, (p, v) => p with { MutantIrqEnterDoesNotWatch = v }),
        Bool("MutantCallbackRidesCurrentGracePeriod", "a broken call_rcu(): its callback may complete with the grace period already in progress", p => p.MutantCallbackRidesCurrentGracePeriod, (p, v) => p with { MutantCallbackRidesCurrentGracePeriod = v }),
        Bool("MutantNoGracePeriodAgeCap", "a broken rcu_nohz_full_cpu() without its one-second cap", p => p.MutantNoGracePeriodAgeCap, (p, v) => p with { MutantNoGracePeriodAgeCap = v }),
        Bool("MutantCtStateIncRelaxed", "a broken ct_state_inc(): atomic_add() instead of atomic_add_return(), so the counter update on entering or leaving an extended quiescent state orders nothing", p => p.MutantCtStateIncRelaxed, (p, v) => p with { MutantCtStateIncRelaxed = v }),
        Bool("MutantFqsIgnoresEqs", "a broken FQS scan that never counts an extended quiescent state", p => p.MutantFqsIgnoresEqs, (p, v) => p with { MutantFqsIgnoresEqs = v }),
    ];

    protected override KvmRcuParams? Defaults(string scenario) =>
        Parse(scenario) is var (_, _, property) ? KvmRcuParams.Minimal with { Properties = [property] } : null;

    protected override KvmRcuParams WithProperties(KvmRcuParams p, IReadOnlyList<string> properties) =>
        p with { Properties = properties.Select(Enum.Parse<Property>).ToArray() };

    protected override object? SearchConfiguration(string scenario, KvmRcuParams p)
    {
        (Variant variant, Scenario s, _) = Parse(scenario)!.Value;
        return KvmRcuModel.SearchConfiguration(variant, s, p);
    }

    protected override Action<IActorRuntime> Body(string scenario, KvmRcuParams p)
    {
        (Variant variant, Scenario s, _) = Parse(scenario)!.Value;
        return r => KvmRcuModel.Run(r, variant, s, p);
    }

    protected override string ShowDefault(string scenario, KvmRcuParams p, Knob knob)
    {
        if (knob.Name == "memory" && p.Memory is null)
        {
            return Parse(scenario)!.Value.Scenario.Memory.ToString().ToLowerInvariant();
        }

        if (knob.Name != "MaxTicks" || p.MaxTicks is not null)
        {
            return knob.Show(p);
        }

        (Variant variant, Scenario s, _) = Parse(scenario)!.Value;
        int ticks = KvmRcuModel.TicksFor(variant, s, p);
        bool follows = KvmRcuModel.TicksFor(variant, s, p with { HZ = p.HZ + 1 }) != ticks;
        return ticks.ToString(CultureInfo.InvariantCulture)
            + (follows ? " (the completion bound plus 2: follows HZ, PatienceJiffies, JiffiesTillFqs)" : string.Empty);
    }

    /// <summary><c>Variant.Scenario.Property</c> (the last three parts of the name), or null.</summary>
    private static (Variant Variant, Scenario Scenario, Property Property)? Parse(string scenario) =>
        ParseCell<Variant, Scenario, Property>(scenario, Scenario.Cells, s => s.Name);
}
