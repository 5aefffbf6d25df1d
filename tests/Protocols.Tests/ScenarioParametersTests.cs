using Verify.Actors;
using Verify.Protocols;
using Xunit;

namespace Protocols.Tests;

/// <summary>
/// The check behind a search group's body under <c>--param</c>: cells share one search only while
/// each of them, alone, would run the configuration the group runs. A parameter that one cell's
/// configuration takes from its property and another's does not is refused for the group.
/// </summary>
public sealed class ScenarioParametersTests
{
    private sealed record Params(int Window, IReadOnlyList<string> Properties);

    /// <summary>
    /// A protocol of one variant and one scenario whose cell A runs a window of <c>Window</c>
    /// jiffies and whose cell B runs none, so by default (Window=0) the two run one configuration.
    /// </summary>
    private sealed class WindowParameters : ScenarioParameters<Params>
    {
        protected override IReadOnlyList<Knob> Knobs { get; } =
            [Int("Window", "jiffies of cell A's window", 0, 10, p => p.Window, (p, v) => p with { Window = v })];

        protected override Params? Defaults(string scenario) =>
            scenario.StartsWith("V.S.", StringComparison.Ordinal) ? new Params(0, [scenario[4..]]) : null;

        protected override Params WithProperties(Params p, IReadOnlyList<string> properties) => p with { Properties = properties };

        protected override object? SearchConfiguration(string scenario, Params p) => p.Properties.Contains("A") ? p.Window : 0;

        protected override Action<IActorRuntime> Body(string scenario, Params p) => _ => { };
    }

    [Fact]
    public void AGroup_WhoseCellsRunOneConfiguration_HasABody()
    {
        Assert.NotNull(new WindowParameters().Build("V.S.A", [], ["A", "B"]));
        Assert.NotNull(new WindowParameters().Build("V.S.A", [new("Window", "0")], ["A", "B"]));
    }

    [Fact]
    public void AParameterThatSetsTheCellsApart_IsRefusedForTheirGroup()
    {
        var ex = Assert.Throws<ScenarioParameterException>(() => new WindowParameters().Build("V.S.A", [new("Window", "3")], ["A", "B"]));

        Assert.Equal("V.S: with Window=3, B alone runs another configuration than A, B together, so one search cannot stand for each of their cells; add --search-per-cell.", ex.Message);
    }

    [Fact]
    public void TheSameParameter_IsAcceptedForEachCellAlone()
    {
        Assert.NotNull(new WindowParameters().Build("V.S.A", [new("Window", "3")], ["A"]));
        Assert.NotNull(new WindowParameters().Build("V.S.B", [new("Window", "3")], ["B"]));
    }
}
