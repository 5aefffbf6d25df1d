using Verify.Protocols.Srcu;
using Verify.SystematicTesting;

namespace Protocols.Tests.Srcu;

/// <summary>Explores one SRCU configuration with a fixed seed and budget, and replays what it finds.</summary>
internal static class Explore
{
    internal static TestReport Run(Variant variant, Scenario scenario, SrcuParams p, uint iterations = 1000, ulong seed = 0, string strategy = "portfolio") =>
        ModelRuns.Checked(ModelRuns.Sampling(iterations, seed, strategy), r => SrcuModel.Run(r, variant, scenario, p)).TestReport;

    /// <summary>Sampling that keeps the engine, for the readable trace of a bug.</summary>
    internal static TestingEngine Engine(Variant variant, Scenario scenario, SrcuParams p, uint iterations = 1000, ulong seed = 0, string strategy = "portfolio") =>
        ModelRuns.Checked(ModelRuns.Sampling(iterations, seed, strategy), r => SrcuModel.Run(r, variant, scenario, p));

    internal static SrcuParams Only(Property property) => SrcuParams.Minimal with { Properties = [property] };

    /// <summary>The configuration of the verdict cell <paramref name="variant"/>.*.<paramref name="property"/>.</summary>
    internal static SrcuParams Cell(Variant variant, Property property) => SrcuModel.CellParams(variant, property);
}
