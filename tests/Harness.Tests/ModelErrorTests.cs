using Verify.Harness.Commands;
using Verify.Harness.Tests.Throwing;
using Verify.Protocols;
using Xunit;

namespace Verify.Harness.Tests;

/// <summary>
/// A model that throws is a bug in the model, not a verdict: `check`, `verdicts` and `stats` say
/// so, name the scenario, iteration and trace, and exit 1 (never 2 as a bug, never 3 as a checker bug).
/// </summary>
public sealed class ModelErrorTests : IDisposable
{
    private const string Bad = "Verify.Harness.Tests.Throwing.ThrowingModel.Bad.Only.Holds";
    private readonly string dir = Path.Combine(Path.GetTempPath(), "verify-model-error-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static IReadOnlyList<TestCase> ThrowingTests() =>
        TestCase.Discover(typeof(ThrowingModel).Assembly).Where(t => t.Namespace == typeof(ThrowingModel).Namespace).ToList();

    private static IReadOnlyList<Protocol> ThrowingProtocols() => [new ThrowingProtocol()];

    [Fact]
    public void Check_ReportsAThrowingHandler_AsAModelError_AndExitsOne()
    {
        var o = new StringWriter();

        ExitCode code = CheckCommand.Run(["-i", "20", "--outdir", dir], o, ThrowingTests());

        string output = o.ToString();
        Assert.Equal(ExitCode.Error, code);
        Assert.Contains("| ThrowingModel.Bad.Only.Holds ", output, StringComparison.Ordinal);
        Assert.Contains("MODEL ERROR in iteration 0 (not a verdict; see below)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("BUG Exception", output, StringComparison.Ordinal);
        Assert.Contains($"verify: model error in {Bad} in iteration 0, step ", output, StringComparison.Ordinal);
        Assert.Contains("threw InvalidOperationException: the counter reached three bumps", output, StringComparison.Ordinal);
        Assert.Contains($"Trace: {Path.Combine(dir, Bad + ".trace")}", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, Bad + ".trace")));
        Assert.Contains("2 scenarios: 0 with a bug, 1 held within the bound, 1 model errors;", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_WithoutAModelError_NamesRowsWithoutTheirNamespace_AndExitsZero()
    {
        var o = new StringWriter();

        ExitCode code = CheckCommand.Run(["-i", "20", "--outdir", dir], o, ThrowingTests().Where(t => t.FullName.Contains(".Good.", StringComparison.Ordinal)).ToList());

        string output = o.ToString();
        Assert.Equal(ExitCode.Success, code);
        Assert.Contains("Verify.Harness.Tests.Throwing:\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("| ThrowingModel.Good.Only.Holds ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("| Verify.Harness", output, StringComparison.Ordinal);
        Assert.Contains("| states 2/2, handlers 1/1; flat after 10 it |", output, StringComparison.Ordinal);
        Assert.Contains("1 scenarios: 0 with a bug, 1 held within the bound, 0 model errors;", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SaysWhenCoverageWasStillGrowing()
    {
        var o = new StringWriter();
        IReadOnlyList<TestCase> late = TestCase.Discover(typeof(ThrowingModel).Assembly).Where(t => t.Namespace == "Verify.Harness.Tests.Growing").ToList();

        ExitCode code = CheckCommand.Run(["-i", "20", "--outdir", dir], o, late);

        string output = o.ToString();
        Assert.Equal(ExitCode.Success, code);
        Assert.Contains("| LateStateModel.Execute ", output, StringComparison.Ordinal);
        Assert.Contains("| states 2/2, handlers 0/0; still growing at 20 it |", output, StringComparison.Ordinal);
        Assert.Contains("reached anything new (it did in 1: raise -i).", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Verdicts_MarksAThrowingCell_AsAModelError_RemovesItsOldTrace_AndExitsOne()
    {
        string doc = Path.Combine(dir, "docs", "throwing-verdicts.md");
        string traces = Path.Combine(dir, "traces", "throwing");
        string views = Path.Combine(dir, "out");
        Directory.CreateDirectory(traces);
        File.WriteAllText(Path.Combine(traces, "Bad.Only.Holds.trace"), "# a counterexample from before the model threw\n");
        File.WriteAllText(Path.Combine(traces, "Renamed.Only.Holds.trace"), "# a cell of a variant since renamed\n");
        var o = new StringWriter();

        ExitCode code = VerdictsCommand.Run(["Throwing", "-i", "20", "-o", doc, "--traces", traces, "--outdir", views], o, ThrowingProtocols(), ThrowingTests());

        string output = o.ToString();
        string markdown = File.ReadAllText(doc);
        Assert.Equal(ExitCode.Error, code);
        Assert.Contains("Bad.Only.Holds", output, StringComparison.Ordinal);
        Assert.Contains("MODEL ERROR (not a verdict): model error in " + Bad + " in iteration 0", output, StringComparison.Ordinal);
        Assert.Contains("verify: 1 of 2 cells are model errors, not verdicts", output, StringComparison.Ordinal);
        Assert.Contains("**Not a valid verdict table: 1 cells are model errors**", markdown, StringComparison.Ordinal);
        Assert.Contains("| Bad | **model error**, not a verdict", markdown, StringComparison.Ordinal);
        Assert.Contains("| Good | held (20 it,", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("**violated** [", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("error |", markdown.Replace("**model error**, not a verdict (the model threw; see the `verify verdicts` output) |", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(traces));
        Assert.Contains($"Removed {Path.Combine(traces, "Bad.Only.Holds.trace")} (no longer a violation)", output, StringComparison.Ordinal);
        Assert.Contains($"Removed {Path.Combine(traces, "Renamed.Only.Holds.trace")} (no longer a violation)", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(views, "throwing", Bad + ".trace")));
    }

    [Fact]
    public void Stats_StoppedByAModelError_ReportsIt_WritesNoDocument_AndExitsOne()
    {
        string doc = Path.Combine(dir, "throwing-statistics.md");
        var o = new StringWriter();

        ExitCode code = StatsCommand.Run(["throwing", "-o", doc, "--outdir", dir], o, ThrowingProtocols());

        string output = o.ToString();
        Assert.Equal(ExitCode.Error, code);
        Assert.Contains("Throwing.stats.Good: 20 runs", output, StringComparison.Ordinal);
        Assert.Contains("verify: model error in Throwing.stats.Bad in iteration 0, step ", output, StringComparison.Ordinal);
        Assert.Contains($"Trace: {Path.Combine(dir, "Throwing.stats.Bad.trace")}", output, StringComparison.Ordinal);
        Assert.Contains("so `verify stats throwing -i 20 --seed 0 --ticks 1` wrote no document.", output, StringComparison.Ordinal);
        Assert.False(File.Exists(doc));
    }

    [Theory]
    [InlineData("verdicts")]
    [InlineData("stats")]
    public void UnknownProtocol_ListsTheKnownOnes_AndExitsOne(string command)
    {
        var o = new StringWriter();
        var e = new StringWriter();

        ExitCode code = Cli.Run([command, "NoSuchProtocol"], o, e);

        Assert.Equal(ExitCode.Error, code);
        Assert.Equal($"verify: `verify {command}` knows no protocol 'NoSuchProtocol'. Known protocols: ContextTracking (contexttracking), KvmRcu (kvm-rcu), Qpw (qpw), Srcu (srcu), VgicLpi (vgiclpi).", e.ToString().Trim());
    }

    [Fact]
    public void Protocols_AreFoundByReflection()
    {
        Assert.Equal(["ContextTracking", "KvmRcu", "Qpw", "Srcu", "VgicLpi"], Protocol.All.Select(p => p.Name));
        Assert.Equal(["contexttracking", "kvm-rcu", "qpw", "srcu", "vgiclpi"], Protocol.All.Select(p => p.Slug));
        Assert.Equal(["Exhaustive", "Throwing"], Protocol.Discover(typeof(ThrowingProtocol).Assembly).Select(p => p.Name));
    }
}
