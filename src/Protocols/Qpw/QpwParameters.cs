using Verify.Actors;

namespace Verify.Protocols.Qpw;

/// <summary>
/// <see cref="QpwParams"/> as <c>--param NAME=VALUE</c> for the <c>Variant.Scenario.Property</c>
/// tests: the defaults are those of <see cref="QpwModel.Tests"/>, and the body is the one that matrix runs.
/// </summary>
public sealed class QpwParameters : ScenarioParameters<QpwParams>
{
    protected override IReadOnlyList<Knob> Knobs { get; } =
    [
        Int("HZ", "jiffies per second (CONFIG_HZ)", 1, 10_000, p => p.HZ, (p, v) => p with { HZ = v }),
        Int("MaxTicks", "jiffies before time stops; by default 3, or 6 with a cpuset writer (its grace period)", 1, 100_000, p => p.MaxTicks ?? 0, (p, v) => p with { MaxTicks = v }),
        Int("StatementsPerJiffy", "the rate model: a jiffy lasts at least this many statements on a running CPU", 1, 1_000, p => p.StatementsPerJiffy, (p, v) => p with { StatementsPerJiffy = v }),
        Bool("PreemptRt", "CONFIG_PREEMPT_RT; by default the variant's kernel", p => p.PreemptRt ?? false, (p, v) => p with { PreemptRt = v }),
        Bool("MutantCpuReadBeforePin", "a broken fast path (spinlock-mode variants): this CPU's lock resolved before migrate_disable()", p => p.MutantCpuReadBeforePin, (p, v) => p with { MutantCpuReadBeforePin = v }),
    ];

    protected override QpwParams? Defaults(string scenario) =>
        Parse(scenario) is var (_, _, property) ? QpwParams.Minimal with { Properties = [property] } : null;

    protected override QpwParams WithProperties(QpwParams p, IReadOnlyList<string> properties) =>
        p with { Properties = properties.Select(Enum.Parse<Property>).ToArray() };

    protected override Action<IActorRuntime> Body(string scenario, QpwParams p)
    {
        (Variant variant, Scenario s, _) = Parse(scenario)!.Value;
        if (variant.EmulatesCpu() && p.PreemptRt == false)
        {
            throw new ScenarioParameterException($"--param PreemptRt=false: {variant} is modelled on PREEMPT_RT only (without it local_lock() is preempt_disable() on the requester's own CPU and excludes nothing on the CPU it emulates).");
        }

        return r => QpwModel.Run(r, variant, s, p);
    }

    protected override string ShowDefault(string scenario, QpwParams p, Knob knob)
    {
        (Variant variant, Scenario s, _) = Parse(scenario)!.Value;
        return knob.Name switch
        {
            "MaxTicks" when p.MaxTicks is null => QpwModel.TicksFor(s, p).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "PreemptRt" when p.PreemptRt is null => variant.PreemptRt() ? "true" : "false",
            _ => knob.Show(p),
        };
    }

    /// <summary><c>Variant.Scenario.Property</c> (the last three parts of the name) where the property applies to the scenario's caller, or null.</summary>
    private static (Variant Variant, Scenario Scenario, Property Property)? Parse(string scenario) =>
        ParseCell<Variant, Scenario, Property>(scenario, Scenario.All, s => s.Name) is var (v, s, p) && p.AppliesTo(s.Caller) ? (v, s, p) : null;
}
