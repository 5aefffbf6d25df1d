using System.Globalization;
using Verify.Actors;

namespace Verify.Protocols;

/// <summary>One parameter of a protocol's scenarios: its name on the command line, its default for the scenario, and what it means.</summary>
public sealed record ScenarioParameter(string Name, string Default, string Meaning);

/// <summary>A bad <c>--param NAME=VALUE</c>: an unknown name, or a value the parameter does not take. The message says which and what would do.</summary>
public sealed class ScenarioParameterException(string message) : Exception(message);

/// <summary>
/// The configuration of a protocol's scenarios as <c>--param NAME=VALUE</c>. A protocol provides one
/// implementation, a public class with a parameterless constructor in the namespace of its
/// <see cref="Protocol"/> subclass (<see cref="Protocol.Parameters"/> finds it). A scenario is named by
/// the last parts of its test name, <c>Variant.Scenario.Property</c>.
/// </summary>
public interface IScenarioParameters
{
    /// <summary>The parameters of <paramref name="scenario"/> with their defaults for it; null when this protocol has no such scenario.</summary>
    IReadOnlyList<ScenarioParameter>? Describe(string scenario);

    /// <summary>The scenario's test body with <paramref name="values"/> applied over its defaults; a bad name or value is a <see cref="ScenarioParameterException"/>.</summary>
    Action<IActorRuntime> Build(string scenario, IReadOnlyList<KeyValuePair<string, string>> values);

    /// <summary>
    /// The body of a search that checks <paramref name="properties"/> together (the cells of one
    /// <see cref="Protocol.SearchGroup"/>): <paramref name="scenario"/>'s configuration with
    /// <paramref name="values"/> applied, running the monitors of all of those properties, as
    /// <see cref="Protocol.SearchBody"/> does on the defaults.
    /// </summary>
    Action<IActorRuntime> Build(string scenario, IReadOnlyList<KeyValuePair<string, string>> values, IReadOnlyList<string> properties);
}

/// <summary>
/// Parameters as a table over an immutable parameters record: each knob reads its default from the
/// record and returns a copy with the value set. Integers and booleans are parsed and checked here.
/// </summary>
public abstract class ScenarioParameters<TParams> : IScenarioParameters
    where TParams : class
{
    /// <summary>A parameter: its name, meaning, how to show its value in a record, and how to set it from text.</summary>
    protected sealed record Knob(string Name, string Meaning, Func<TParams, string> Show, Func<TParams, string, TParams> Set);

    /// <summary>The parameters, in the order `verify list --params` prints them.</summary>
    protected abstract IReadOnlyList<Knob> Knobs { get; }

    /// <summary>The scenario's record with its defaults, or null for a scenario this protocol does not have.</summary>
    protected abstract TParams? Defaults(string scenario);

    /// <summary>The test body running <paramref name="scenario"/> with <paramref name="p"/>.</summary>
    protected abstract Action<IActorRuntime> Body(string scenario, TParams p);

    /// <summary><paramref name="p"/> checking <paramref name="properties"/> (names of the protocol's properties) instead of its own.</summary>
    protected abstract TParams WithProperties(TParams p, IReadOnlyList<string> properties);

    /// <summary>Shows a record's value of a knob for <see cref="Describe"/>; a knob whose default depends on others may say how.</summary>
    protected virtual string ShowDefault(string scenario, TParams p, Knob knob) => knob.Show(p);

    public IReadOnlyList<ScenarioParameter>? Describe(string scenario) =>
        Defaults(scenario) is TParams p ? Knobs.Select(k => new ScenarioParameter(k.Name, ShowDefault(scenario, p, k), k.Meaning)).ToList() : null;

    public Action<IActorRuntime> Build(string scenario, IReadOnlyList<KeyValuePair<string, string>> values) => Body(scenario, Resolve(scenario, values));

    public Action<IActorRuntime> Build(string scenario, IReadOnlyList<KeyValuePair<string, string>> values, IReadOnlyList<string> properties)
    {
        TParams group = WithProperties(Resolve(scenario, values), properties);
        object? together = SearchConfiguration(scenario, group);
        string variantAndScenario = scenario[..scenario.LastIndexOf('.')];
        foreach (string property in properties)
        {
            string cell = variantAndScenario + "." + property;
            if (!Equals(SearchConfiguration(cell, WithProperties(Resolve(cell, values), [property])), together))
            {
                throw new ScenarioParameterException(
                    $"{variantAndScenario}: with {string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"))}, {property} alone runs another configuration than {string.Join(", ", properties)} together, so one search cannot stand for each of their cells; add --search-per-cell.");
            }
        }

        return Body(scenario, group);
    }

    /// <summary>
    /// What a run of <paramref name="p"/> takes from the properties it checks, besides their monitors
    /// (KVM/RCU's clock, vGIC's preemption model): cells share a search only where it is equal.
    /// Null by default: the configuration does not depend on the properties.
    /// </summary>
    protected virtual object? SearchConfiguration(string scenario, TParams p) => null;

    /// <summary>The record <paramref name="scenario"/> runs with <paramref name="values"/> applied over its defaults; a bad name or value is a <see cref="ScenarioParameterException"/>.</summary>
    public TParams Resolve(string scenario, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        TParams p = Defaults(scenario) ?? throw new ScenarioParameterException($"{scenario} is not a scenario of this protocol; it takes no parameters.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, string value) in values)
        {
            Knob knob = Knobs.FirstOrDefault(k => k.Name == name)
                ?? throw new ScenarioParameterException($"{scenario} has no parameter '{name}'. Its parameters: {string.Join(", ", Knobs.Select(k => k.Name))} (`verify list --params {scenario}` says what each means).");
            if (!seen.Add(name))
            {
                throw new ScenarioParameterException($"--param {name} is given twice; give each parameter once.");
            }

            p = knob.Set(p, value);
        }

        return p;
    }

    /// <summary>
    /// <c>Variant.Scenario.Property</c>, the last three parts of a scenario's test name, as the
    /// protocol's two enums and its scenario of that name; null when any part is not one of them.
    /// </summary>
    protected static (TVariant Variant, TScenario Scenario, TProperty Property)? ParseCell<TVariant, TScenario, TProperty>(
        string scenario, IEnumerable<TScenario> scenarios, Func<TScenario, string> name)
        where TVariant : struct, Enum
        where TProperty : struct, Enum
    {
        string[] parts = scenario.Split('.');
        if (parts.Length < 3
            || !Enum.TryParse(parts[^3], ignoreCase: false, out TVariant variant) || !Enum.IsDefined(variant)
            || !Enum.TryParse(parts[^1], ignoreCase: false, out TProperty property) || !Enum.IsDefined(property))
        {
            return null;
        }

        foreach (TScenario s in scenarios)
        {
            if (name(s) == parts[^2])
            {
                return (variant, s, property);
            }
        }

        return null;
    }

    /// <summary>A whole-number knob of at least <paramref name="min"/> and at most <paramref name="max"/>.</summary>
    protected static Knob Int(string name, string meaning, int min, int max, Func<TParams, int> get, Func<TParams, int, TParams> set) =>
        new(name, meaning, p => get(p).ToString(CultureInfo.InvariantCulture), (p, s) =>
            int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max
                ? set(p, v)
                : throw new ScenarioParameterException($"--param {name}={s}: {name} needs a whole number from {min} to {max} ({meaning})."));

    /// <summary>The <c>memory</c> knob: the machine's memory mode, sc, tso or lkmm; null (shown empty) takes the scenario's.</summary>
    protected static Knob MemoryKnob(string meaning, Func<TParams, Verify.Kernel.Memory.MemoryMode?> get, Func<TParams, Verify.Kernel.Memory.MemoryMode, TParams> set) =>
        new("memory", meaning, p => get(p)?.ToString().ToLowerInvariant() ?? "", (p, s) => s switch
        {
            "sc" => set(p, Verify.Kernel.Memory.MemoryMode.Sc),
            "tso" => set(p, Verify.Kernel.Memory.MemoryMode.Tso),
            "lkmm" => set(p, Verify.Kernel.Memory.MemoryMode.Lkmm),
            _ => throw new ScenarioParameterException($"--param memory={s}: memory is sc, tso or lkmm (the memory mode)."),
        });

    /// <summary>A knob that is true or false.</summary>
    protected static Knob Bool(string name, string meaning, Func<TParams, bool> get, Func<TParams, bool, TParams> set) =>
        new(name, meaning, p => get(p) ? "true" : "false", (p, s) => s switch
        {
            "true" => set(p, true),
            "false" => set(p, false),
            _ => throw new ScenarioParameterException($"--param {name}={s}: {name} is true or false ({meaning})."),
        });
}
