using Verify.Harness.Commands;
using Verify.Harness.Tests.Exhaustive;
using Verify.Protocols;
using Xunit;

namespace Verify.Harness.Tests;

/// <summary>
/// `verify verdicts` samples a cell with the strategy its protocol names for it
/// (<see cref="Protocol.SampleStrategy"/>) and the portfolio elsewhere; the cell's text names the
/// strategy and its bound, and the header says the protocol chose some.
/// </summary>
public sealed class SampleStrategyTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("verify-strategy-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>
    /// <see cref="ExhaustiveModel"/>'s cells, Safe.Writers.InOrder and Racy.Writers.InOrder sampled with
    /// fair PCT, one priority change. It takes its name as a constructor argument, so protocol
    /// discovery (which needs a parameterless constructor) does not list it beside the Exhaustive fixture.
    /// </summary>
    private sealed class StrategyProtocol(string name) : Protocol
    {
        public override string Name => name;

        public override string Slug => "strategy-fixture";

        public override (string Name, int Bound)? SampleStrategy(string cell) =>
            cell.EndsWith(".Writers.InOrder", StringComparison.Ordinal) ? ("fair-prioritization", 1) : null;
    }

    [Fact]
    public void ACellWithItsProtocolsStrategy_IsSampledWithIt_AndItsTextNamesIt()
    {
        string doc = Path.Combine(dir, "docs", "strategy-verdicts.md");
        var o = new StringWriter();
        IReadOnlyList<TestCase> tests = TestCase.Discover(typeof(ExhaustiveModel).Assembly).Where(t => t.Namespace == typeof(ExhaustiveModel).Namespace).ToList();

        ExitCode code = VerdictsCommand.Run(["Exhaustive", "-i", "20", "-o", doc, "--traces", Path.Combine(dir, "traces"), "--outdir", Path.Combine(dir, "verify-out")], o, [new StrategyProtocol("Exhaustive")], tests);

        Assert.Equal(ExitCode.Success, code);
        string text = File.ReadAllText(doc);
        Assert.Contains("or with one strategy of its choice instead of the portfolio; a cell gives the iterations it ran and names such a strategy with its bound.", text, StringComparison.Ordinal);
        Assert.Matches(@"\| Safe \| held \(20 it, fair-prioritization\(1\), <= \d+ steps\) \| held \(20 it, <= \d+ steps\) \|", text);
        Assert.Matches(@"\| Racy \| \*\*violated\*\* \[it \d+, fair-prioritization\(1\), step \d+\]\(", text);
        Assert.DoesNotMatch(@"Finishes[^#]*fair-prioritization", text);
        Assert.Matches(@"Racy\.Writers\.InOrder +violated: \w+ \(fair-prioritization\(1\)\)", o.ToString());
        Assert.Matches(@"Safe\.Writers\.Finishes +held\r?\n", o.ToString());
    }
}
