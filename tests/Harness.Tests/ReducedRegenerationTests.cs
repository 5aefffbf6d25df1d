using Verify.Harness.Commands;
using Verify.Harness.Tests.Exhaustive;
using Verify.Protocols;
using Xunit;

namespace Verify.Harness.Tests;

/// <summary>
/// <see cref="ReducedRegeneration"/> on a document of <see cref="ExhaustiveProtocol"/> committed in a
/// temporary directory laid out as the repository is (docs/, traces/&lt;slug&gt;/): it passes as
/// generated, and fails naming the cell, or the trace, that was changed.
/// </summary>
public sealed class ReducedRegenerationTests : IDisposable
{
    private const string FileName = "exhaustive-fixture-exhaustive-verdicts.md";

    private readonly string dir = Directory.CreateTempSubdirectory("verify-reduced-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Doc => Path.Combine(dir, "repo", "docs", FileName);

    private string Traces => Path.Combine(dir, "repo", "traces", "exhaustive-fixture-exhaustive");

    private static ExitCode Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        Assert.Equal("verdicts", args[0]);
        IReadOnlyList<TestCase> tests = TestCase.Discover(typeof(ExhaustiveModel).Assembly).Where(t => t.Namespace == typeof(ExhaustiveModel).Namespace).ToList();
        return VerdictsCommand.Run(args[1..], stdout, [new ExhaustiveProtocol()], tests);
    }

    /// <summary>Commits the document `verify verdicts Exhaustive <paramref name="args"/>` writes, and its traces.</summary>
    private void Commit(params string[] args)
    {
        ExitCode code = Run(["verdicts", "Exhaustive", .. args, "-o", Doc, "--traces", Traces, "--outdir", Path.Combine(dir, "verify-out")], new StringWriter(), new StringWriter());
        Assert.Equal(ExitCode.Success, code);
    }

    private ReducedRegeneration.Outcome Check() => ReducedRegeneration.Check(Doc, Traces, Path.Combine(dir, "scratch"), Run);

    [Fact]
    public void TheCheapestPairs_AViolationAndASample_AreChosen_AndTheHeaderFiltersReplacedByTheirNames()
    {
        Commit("--exhaustive", "-i", "20");

        ReducedRegeneration.Outcome r = Check();

        Assert.Empty(r.Problems);
        Assert.Equal(["Racy.Writers.Finishes", "Safe.Counters.Finishes", "Safe.Counters.InOrder", "Safe.Writers.Finishes", "Safe.Writers.InOrder"], r.Cells.Select(c => c.Name));
        Assert.Equal(
            "verify verdicts Exhaustive --exhaustive -s stateful-bfs --max-states 1000000 -i 20 --seed 0 "
            + "-m Racy.Writers.Finishes -m Safe.Counters.Finishes -m Safe.Counters.InOrder -m Safe.Writers.Finishes -m Safe.Writers.InOrder",
            r.Command);
    }

    [Theory]
    [InlineData("--exhaustive", "-i", "20")]
    [InlineData("--exhaustive", "-s", "stateful-dfs", "--max-states", "12", "-i", "20")]
    [InlineData("--exhaustive", "-m", "Writers", "-m", "Counters.InOrder", "-i", "20", "--seed", "3")]
    public void ADocumentAsGenerated_Passes(params string[] args)
    {
        Commit(args);

        ReducedRegeneration.Outcome r = Check();

        Assert.True(r.Problems.Count == 0, string.Join("\n", r.Problems));
        SortedDictionary<ReducedRegeneration.Cell, string> cells = ReducedRegeneration.Cells(File.ReadAllText(Doc));
        Assert.Contains(r.Cells, c => cells[c].Contains("**violated**", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("exhausted: 11 states", "exhausted: 12 states", "Safe.Writers.InOrder (## InOrder, row Safe, column Writers) differs")]
    [InlineData("then a loop of 2]", "then a loop of 1]", "Racy.Writers.Finishes (## Finishes, row Racy, column Writers) differs")]
    [InlineData("samples it; held (20 it, <= 50 steps)", "samples it; held (20 it, <= 49 steps)", "Safe.Counters.Finishes (## Finishes, row Safe, column Counters) differs")]
    public void ACellAltered_FailsNamingTheCell(string cell, string altered, string message)
    {
        Commit("--exhaustive", "-i", "20");
        string text = File.ReadAllText(Doc);
        Assert.Equal(1, text.Split(cell).Length - 1);
        File.WriteAllText(Doc, text.Replace(cell, altered, StringComparison.Ordinal));

        ReducedRegeneration.Outcome r = Check();

        string problem = Assert.Single(r.Problems);
        Assert.StartsWith(message, problem, StringComparison.Ordinal);
        Assert.Contains(altered, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ATraceAltered_FailsNamingTheTrace()
    {
        Commit("--exhaustive", "-i", "20");
        File.AppendAllText(Path.Combine(Traces, "Racy.Writers.Finishes.trace"), "\n");

        ReducedRegeneration.Outcome r = Check();

        string problem = Assert.Single(r.Problems);
        Assert.StartsWith("traces/exhaustive-fixture-exhaustive/Racy.Writers.Finishes.trace differs from the trace `verify verdicts Exhaustive ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ATraceNoCellLinks_OrACountThatIsNotTheCells_FailsWithoutAnyCellRegenerated()
    {
        Commit("--exhaustive", "-i", "20");
        File.WriteAllText(Path.Combine(Traces, "Safe.Writers.InOrder.trace"), "# a violation from before a fix\n");
        File.WriteAllText(Doc, File.ReadAllText(Doc).Replace("2 of 6 cells exhausted", "3 of 6 cells exhausted", StringComparison.Ordinal));

        ReducedRegeneration.Outcome r = Check();

        Assert.Equal(
            [
                "traces/exhaustive-fixture-exhaustive/Safe.Writers.InOrder.trace is committed but docs/exhaustive-fixture-exhaustive-verdicts.md links no such trace.",
                "docs/exhaustive-fixture-exhaustive-verdicts.md does not count its cells as they are: expected a line starting `Proofs within bounds: 2 of 6 cells exhausted; 2 violated by the search. Samples: 2 cells: `.",
            ],
            r.Problems);
    }

    [Fact]
    public void TheTables_AreReadIntoCells_WithLinksByFileName()
    {
        Commit("--exhaustive", "-i", "20");

        SortedDictionary<ReducedRegeneration.Cell, string> cells = ReducedRegeneration.Cells(File.ReadAllText(Doc));

        Assert.Equal(6, cells.Count);
        Assert.Equal("**violated** [search, step 4](Racy.Writers.InOrder.trace)", cells[new("Racy", "Writers", "InOrder")]);
        Assert.Equal("not exhausted at 100 states; held (20 it, <= 50 steps)", cells[new("Safe", "Counters", "InOrder")]);
        Assert.False(cells.ContainsKey(new("Racy", "Counters", "InOrder")));
        Assert.Equal(ReducedRegeneration.Kind.ViolatedBySearch, ReducedRegeneration.KindOf(cells[new("Racy", "Writers", "Finishes")]));
    }

    [Fact]
    public void WhenNoPairFitsTheBudget_TheCheapestExhaustedCell_AndTheShallowestViolation_AreChosen()
    {
        (string Property, string Cell)[] table =
        [
            ("GracePeriodCompletion", "exhausted: 1,102,830 states"),
            ("GracePeriodGuarantee", "exhausted: 2,441,409 states"),
            ("NoRcucWakeupBeforeReentry", "**violated** [search, step 93](../traces/kvm-rcu-exhaustive/C.GuestHlt.NoRcucWakeupBeforeReentry.trace)"),
            ("NoRcucWakeupEnteringIdle", "exhausted: 1,498,907 states"),
            ("NoSuppressionOfAnOldGracePeriod", "exhausted: 1,102,830 states"),
            ("NoSuppressionWithoutReentry", "**violated** [search, step 55](../traces/kvm-rcu-exhaustive/C.GuestHlt.NoSuppressionWithoutReentry.trace)"),
        ];
        string doc = string.Concat(table.Select(r => $"\n## {r.Property}\n\n| variant | GuestHlt |\n|---|---|\n| C | {r.Cell} |\n"));

        IReadOnlyList<ReducedRegeneration.Cell> chosen = ReducedRegeneration.Choose(
            ReducedRegeneration.Cells(doc), "verdicts KvmRcu --exhaustive -s stateful-bfs --max-states 3000000 -m C.GuestHlt -i 1000 --seed 0");

        Assert.Equal(["C.GuestHlt.GracePeriodCompletion", "C.GuestHlt.NoSuppressionWithoutReentry"], chosen.Select(c => c.Name));
    }

    [Theory]
    [InlineData("--max-states 100000 --dfs-max-states 8000000", false)]
    [InlineData("--max-states 100000", true)]
    public void AViolationWhosePairHasNoCount_CostsTheBoundOfThePhaseThatMayHaveFoundIt_AndOverTheBudgetIsLeftToTheTraceReplay(string bounds, bool chosen)
    {
        // Two pairs of a one-jiffy vGIC document: a cheap exhausted cell, and a violation alone in its
        // pair (found depth-first at 4.2 million states). Without --dfs-max-states the search that
        // found it stopped at --max-states, so its pair is the cheapest, and fits the budget alone.
        string doc = "\n## Publication\n\n| variant | InvlpiVsMapti | SlowInjectVsRdistDisable |\n|---|---|---|\n| V7_2 | exhausted: 329,078 states | - |\n"
            + "\n## CacheCoherence\n\n| variant | InvlpiVsMapti | SlowInjectVsRdistDisable |\n|---|---|---|\n| V7_2 | - | **violated** [search, step 41](x/V7_2.SlowInjectVsRdistDisable.CacheCoherence.trace) |\n";

        IReadOnlyList<ReducedRegeneration.Cell> cells = ReducedRegeneration.Choose(
            ReducedRegeneration.Cells(doc), $"verdicts VgicLpi --exhaustive -s stateful-bfs {bounds} --param MaxTicks=1 -m V7_2 -i 1000 --seed 0");

        Assert.Equal(
            chosen ? ["V7_2.SlowInjectVsRdistDisable.CacheCoherence"] : ["V7_2.InvlpiVsMapti.Publication"],
            cells.Select(c => c.Name));
    }

    [Fact]
    public void ADocumentOfViolationsAlone_OverTheBudget_StillRegeneratesItsCheapestViolation()
    {
        string doc = "\n## Publication\n\n| variant | A | B |\n|---|---|---|\n"
            + "| V7_2 | **violated** [search, step 30](x/V7_2.A.Publication.trace) | **violated** [search, step 12](x/V7_2.B.Publication.trace) |\n";

        IReadOnlyList<ReducedRegeneration.Cell> cells = ReducedRegeneration.Choose(
            ReducedRegeneration.Cells(doc), "verdicts VgicLpi --exhaustive -s stateful-bfs --max-states 100000 --dfs-max-states 8000000 -i 1000 --seed 0");

        Assert.Equal(["V7_2.B.Publication"], cells.Select(c => c.Name));
    }

    [Fact]
    public void TheHeaderFilters_AreReplaced_NotAddedTo_SinceEachSelectsCellsOfItsOwn()
    {
        List<string> args = ReducedRegeneration.Restrict(
            "verdicts Qpw --exhaustive -s stateful-bfs --max-states 100000 -m QpwV2On -m QpwV1On -i 1000 --seed 0",
            [new("QpwV2On", "FifoPollerLru", "RightCpu")]);

        Assert.Equal("verdicts Qpw --exhaustive -s stateful-bfs --max-states 100000 -i 1000 --seed 0 -m QpwV2On.FifoPollerLru.RightCpu", string.Join(' ', args));
    }
}
