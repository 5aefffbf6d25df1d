using Verify.Actors;

namespace Verify.Protocols.VgicLpi;

/// <summary>
/// The vGIC LPI model as the command line sees it: `verify verdicts VgicLpi`, and `verify stats
/// vgiclpi`: what an injection costs per version in the configurations of vgic_lpi_stress.
/// </summary>
public sealed partial class VgicLpiProtocol : Protocol
{
    public override string Name => "VgicLpi";

    public override string Slug => "vgiclpi";

    /// <summary>The sampling budget of the scenarios whose races need some thousands of random schedules (<see cref="Scenario.MinIterations"/>).</summary>
    public const int RareRaceIterations = 5000;

    /// <summary>A cell gets at least its scenario's <see cref="Scenario.MinIterations"/>.</summary>
    public override int SampleIterations(string cell, int iterations) =>
        cell.Split('.') is [_, var scenario, _] && Scenario.All.FirstOrDefault(s => s.Name == scenario) is { } s
            ? Math.Max(iterations, s.MinIterations)
            : iterations;

    /// <summary>
    /// Where a scenario checks lock classes on PREEMPT_RT, the cell of <see cref="Property.LockClasses"/>
    /// runs the kernel with PREEMPT_RT and the others without, so each shares a search only with cells
    /// of the same preemption model.
    /// </summary>
    public override string? SearchGroup(string cell)
    {
        string? group = base.SearchGroup(cell);
        string[] parts = cell.Split('.');
        return group is null || Scenario.All.FirstOrDefault(s => s.Name == parts[1]) is not { } scenario || !Enum.TryParse(parts[2], out Property p)
            ? group
            : group + (VgicLpiModel.PreemptRt(scenario, VgicLpiParams.Minimal with { Properties = [p] }) ? " PREEMPT_RT" : string.Empty);
    }

    public override string SearchGroupRule =>
        "A scenario that checks lock classes on PREEMPT_RT runs that property's cell with PREEMPT_RT and its other cells without, so they are searched apart.";

    /// <summary>The cells of <paramref name="variant"/> x <paramref name="scenario"/> checked together: the model's run with each of <paramref name="properties"/>' monitors, on the minimal configuration.</summary>
    public override Action<IActorRuntime> SearchBody(string variant, string scenario, IReadOnlyList<string> properties)
    {
        Variant v = Enum.Parse<Variant>(variant);
        Scenario s = Scenario.All.Single(x => x.Name == scenario);
        Property[] ps = properties.Select(Enum.Parse<Property>).ToArray();
        bool rt = VgicLpiModel.PreemptRt(s, VgicLpiParams.Minimal with { Properties = ps });
        if (ps.Any(p => VgicLpiModel.PreemptRt(s, VgicLpiParams.Minimal with { Properties = [p] }) != rt))
        {
            throw new ArgumentException($"{variant}.{scenario}: {string.Join(", ", properties)} do not share one preemption model; SearchGroup keeps them apart.", nameof(properties));
        }

        return r => VgicLpiModel.Run(r, v, s, VgicLpiParams.Minimal with { Properties = ps });
    }
}
