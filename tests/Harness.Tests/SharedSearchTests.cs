using System.Text.RegularExpressions;
using Xunit;

namespace Verify.Harness.Tests;

/// <summary>
/// `verify verdicts --exhaustive` searches the cells of one variant x scenario together (one search
/// with all their monitors; a violation is replayed in each cell and the search runs again for the
/// cells left); `--search-per-cell` searches each cell on its own. On a few small pairs of
/// ContextTracking and QPW, one with three violations in one group, both settle every cell the same
/// way: the same verdict kind, and for a violation the same step and the same trace, byte for byte.
/// A cell selected alone with -m reads as in the run of its whole pair, trace and all.
/// </summary>
public sealed partial class SharedSearchTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("verify-shared-search-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [GeneratedRegex(@"\[search, step (?<step>\d+)\]")]
    private static partial Regex SearchStep();

    [GeneratedRegex(@"; one search of (?<n>\d+) cells\)")]
    private static partial Regex SharedLine();

    /// <summary>Runs `verdicts --exhaustive` with the header bounds of the protocol's exhaustive document, into a directory of its own.</summary>
    private (string Out, SortedDictionary<ReducedRegeneration.Cell, string> Cells, string Traces) Verdicts(string name, string protocol, long maxStates, IEnumerable<string> cells, params string[] more)
    {
        string root = Path.Combine(dir, name);
        string traces = Path.Combine(root, "traces");
        var args = new List<string> { "verdicts", protocol, "--exhaustive", "-s", "stateful-bfs", "--max-states", maxStates.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", "100", "--seed", "0" };
        foreach (string c in cells)
        {
            args.AddRange(["-m", c]);
        }

        args.AddRange(more);
        args.AddRange(["-o", Path.Combine(root, "verdicts.md"), "--traces", traces, "--outdir", Path.Combine(root, "verify-out")]);
        var o = new StringWriter();
        var e = new StringWriter();
        ExitCode code = Cli.Run([.. args], o, e);
        Assert.True(code == ExitCode.Success, $"`verify {string.Join(' ', args)}` exited {code}:\n{o}{e}");
        return (o.ToString(), ReducedRegeneration.Cells(File.ReadAllText(Path.Combine(root, "verdicts.md"))), traces);
    }

    public static TheoryData<string, long, string[]> Pairs() => new()
    {
        // Three of the four properties of the first pair are violated, each at another depth; the second has one violation and four exhausted cells.
        { "ContextTracking", 300_000, ["RfcV2.PageTableFreeIrqFromIdle", "RfcV2.PageTableFreeUser", "V6Intended.TextPatchUser"] },
        // A liveness violation beside five exhausted cells, and a pair with every cell exhausted.
        { "Qpw", 100_000, ["QpwV2Rt.OwnerPreemptedByPollerLru", "QpwV2Rt.OwnerLru"] },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void SharedAndPerCellSearches_SettleEveryCellAlike(string protocol, long maxStates, string[] pairs)
    {
        var shared = Verdicts("shared", protocol, maxStates, pairs);
        var alone = Verdicts("alone", protocol, maxStates, pairs, "--search-per-cell");

        Assert.Equal(alone.Cells.Keys, shared.Cells.Keys);
        Assert.Contains(shared.Cells.Values, t => ReducedRegeneration.KindOf(t) == ReducedRegeneration.Kind.Exhausted);
        Assert.Contains(shared.Cells.Values, t => ReducedRegeneration.KindOf(t) == ReducedRegeneration.Kind.ViolatedBySearch);
        Assert.Matches(SharedLine(), shared.Out);
        Assert.DoesNotMatch(SharedLine(), alone.Out);
        foreach ((ReducedRegeneration.Cell cell, string text) in shared.Cells)
        {
            string other = alone.Cells[cell];
            Assert.True(ReducedRegeneration.KindOf(text) == ReducedRegeneration.KindOf(other), $"{cell}: shared `{text}`, per cell `{other}`");
            if (SearchStep().Match(other) is { Success: true } step)
            {
                Assert.True(SearchStep().Match(text) is { Success: true } mine && mine.Groups["step"].Value == step.Groups["step"].Value, $"{cell}: shared `{text}`, per cell `{other}`");
            }
        }

        List<string> written = Directory.GetFiles(shared.Traces).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Directory.GetFiles(alone.Traces).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal), written);
        foreach (string t in written.Where(t => SearchStep().IsMatch(shared.Cells.Single(c => c.Value.Contains(t, StringComparison.Ordinal)).Value)))
        {
            Assert.True(File.ReadAllBytes(Path.Combine(shared.Traces, t)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(alone.Traces, t))), $"{t} differs between the shared and the per-cell search");
        }
    }

    [Fact]
    public void ContextTracking_ThreeViolationsInOneGroup_HideNoneOfTheOthers()
    {
        var shared = Verdicts("group", "ContextTracking", 300_000, ["RfcV2.PageTableFreeIrqFromIdle"]);

        Assert.Equal(3, shared.Cells.Values.Count(t => ReducedRegeneration.KindOf(t) == ReducedRegeneration.Kind.ViolatedBySearch));
        Assert.Contains("; one search of 4 cells)", shared.Out, StringComparison.Ordinal);
        Assert.Contains("; one search of 2 cells)", shared.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ContextTracking", 300_000, "RfcV2.PageTableFreeIrqFromIdle", "BoundedRetry")]
    [InlineData("ContextTracking", 300_000, "RfcV2.PageTableFreeIrqFromIdle", "EntryAtomics")]
    [InlineData("Qpw", 100_000, "QpwV2Rt.OwnerPreemptedByPollerLru", "RightCpu")]
    public void ASelectedCell_ReadsAsInTheRunOfItsWholePair(string protocol, long maxStates, string pair, string property)
    {
        var whole = Verdicts("whole", protocol, maxStates, [pair]);
        var one = Verdicts("one", protocol, maxStates, [$"{pair}.{property}"]);

        var cell = Assert.Single(one.Cells);
        Assert.Equal($"{pair}.{property}", cell.Key.Name);
        Assert.Equal(whole.Cells[cell.Key], cell.Value);
        foreach (string t in Directory.Exists(one.Traces) ? Directory.GetFiles(one.Traces) : [])
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(whole.Traces, Path.GetFileName(t))), File.ReadAllBytes(t));
        }
    }
}
