using Verify.Actors;
using Verify.Kernel.Memory;

namespace Verify.Protocols.Srcu;

/// <summary>
/// <see cref="SrcuParams"/> as <c>--param NAME=VALUE</c> for the <c>Variant.Scenario.Property</c>
/// tests: the defaults are those of <see cref="SrcuModel.Tests"/>, and the body is the one that matrix runs.
/// </summary>
public sealed class SrcuParameters : ScenarioParameters<SrcuParams>
{
    protected override IReadOnlyList<Knob> Knobs { get; } =
    [
        MemoryKnob("the memory mode: sc, tso or lkmm (by default the scenario's)", p => p.Memory, (p, m) => p with { Memory = m }),
        Int("HZ", "jiffies per second (CONFIG_HZ); sets the module parameters' defaults of 4f2bfd9494a0 on", 1, 10_000, p => p.HZ, (p, v) => p with { HZ = v }),
        Int("MaxTicks", "jiffies before time stops; by default 4, plus the sleeping reader's jiffies", 1, 1_000_000, p => p.MaxTicks ?? 0, (p, v) => p with { MaxTicks = v }),
        Int("StatementsPerJiffy", "the rate model: a jiffy lasts at least this many statements on a running CPU", 1, 100_000, p => p.StatementsPerJiffy, (p, v) => p with { StatementsPerJiffy = v }),
        Int("NsPerStatement", "the cost of one statement in nanoseconds (udelay(us) is us * 1000 / this statements)", 1, 1_000_000, p => p.NsPerStatement, (p, v) => p with { NsPerStatement = v }),
        Int("Gps", "expedited grace periods the updater issues back to back (scenarios that fix their own ignore it)", 1, 1_000_000, p => p.Gps, (p, v) => p with { Gps = v }),
        Int("SrcuMaxNodelayPhase", "module parameter srcu_max_nodelay_phase (4f2bfd9494a0 on); 0 takes the HZ default", 0, 1_000_000, p => p.SrcuMaxNodelayPhase ?? 0, (p, v) => p with { SrcuMaxNodelayPhase = v == 0 ? null : v }),
        Int("SrcuMaxNodelay", "module parameter srcu_max_nodelay (4f2bfd9494a0 on); 0 takes the default", 0, 1_000_000, p => p.SrcuMaxNodelay ?? 0, (p, v) => p with { SrcuMaxNodelay = v == 0 ? null : v }),
        Int("SrcuRetryCheckDelay", "srcu_retry_check_delay in microseconds", 0, 1_000, p => p.SrcuRetryCheckDelay, (p, v) => p with { SrcuRetryCheckDelay = v }),
        Int("ReaderStatements", "statements inside the short reader's critical section", 0, 10_000, p => p.ReaderStatements, (p, v) => p with { ReaderStatements = v }),
        Int("ReaderSleepJiffies", "jiffies the sleeping reader sleeps inside its critical section (LongSleepingReader fixes its own: 12)", 1, 1_000, p => p.ReaderSleepJiffies, (p, v) => p with { ReaderSleepJiffies = v }),
        Bool("MutantSkipScan2", "a broken kernel (P-SR-S1): no wait for the readers of the rank flipped away from", p => p.MutantSkipScan2, (p, v) => p with { MutantSkipScan2 = v }),
        Bool("MutantGetDelayUnlocked", "a broken kernel (P-SR-S2): process_srcu() and try_check_zero() call srcu_get_delay() without srcu_sup->lock", p => p.MutantGetDelayUnlocked, (p, v) => p with { MutantGetDelayUnlocked = v }),
        Bool("MutantNoNodelayCount", "a broken kernel (P-SR-L1): srcu_n_exp_nodelay is never incremented", p => p.MutantNoNodelayCount, (p, v) => p with { MutantNoNodelayCount = v }),
        Bool("MutantCbdelayAlways", "a broken kernel (P-SR-L2): srcu_gp_end() always delays the callbacks by a jiffy", p => p.MutantCbdelayAlways, (p, v) => p with { MutantCbdelayAlways = v }),
        Bool("MutantExpeditedOffByOne", "a broken kernel (P-SR-L3): srcu_get_delay() takes srcu_gp_seq == srcu_gp_seq_needed_exp as expedited", p => p.MutantExpeditedOffByOne, (p, v) => p with { MutantExpeditedOffByOne = v }),
        Bool("MutantNoReadLockMb", "a weakened srcu_read_lock() (P-SR-S3): no smp_mb() B after the lock-count increment", p => p.MutantNoReadLockMb, (p, v) => p with { MutantNoReadLockMb = v }),
        Bool("MutantNoIntervalCap", "a broken kernel (P-SR-L3): srcu_get_delay() without the SRCU_MAX_INTERVAL cap", p => p.MutantNoIntervalCap, (p, v) => p with { MutantNoIntervalCap = v }),
    ];

    protected override SrcuParams? Defaults(string scenario) =>
        Parse(scenario) is var (variant, _, property) ? SrcuModel.CellParams(variant, property) : null;

    protected override SrcuParams WithProperties(SrcuParams p, IReadOnlyList<string> properties) =>
        p with { Properties = properties.Select(Enum.Parse<Property>).ToArray() };

    protected override Action<IActorRuntime> Body(string scenario, SrcuParams p)
    {
        (Variant variant, Scenario s, _) = Parse(scenario)!.Value;
        return r => SrcuModel.Run(r, variant, s, p);
    }

    protected override string ShowDefault(string scenario, SrcuParams p, Knob knob)
    {
        (_, Scenario s, _) = Parse(scenario)!.Value;
        return knob.Name switch
        {
            "MaxTicks" when p.MaxTicks is null => SrcuModel.TicksFor(s, p).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "memory" when p.Memory is null => s.Memory.ToString().ToLowerInvariant(),
            _ => knob.Show(p),
        };
    }

    private static (Variant Variant, Scenario Scenario, Property Property)? Parse(string scenario) =>
        ParseCell<Variant, Scenario, Property>(scenario, Scenario.All, s => s.Name);
}
