using Verify.Kernel.Memory;
using Verify.Kernel.Memory.Litmus;
using Xunit;

namespace Kernel.Tests.Litmus;

/// <summary>
/// Laws between the modes, over every program of two CPUs with two accesses each to x and y (each
/// store writing its own value, the outcome being the registers and the final x and y): each mode
/// allows at least what a stronger one does (SC within TSO within the LKMM mode), and smp_mb()
/// between every two accesses gives back exactly the SC outcomes in both weak modes.
/// </summary>
public class ModeInclusionTests
{
    [Fact]
    public void EveryTwoByTwoProgram_ScWithinTsoWithinLkmm_AndSmpMbEverywhereGivesBackSc()
    {
        var failures = new List<string>();
        int programs = 0;
        int tsoWeaker = 0;
        int lkmmWeaker = 0;
        foreach (LitmusShape shape in TwoByTwo())
        {
            programs++;
            foreach (LitmusVariant variant in new[] { LitmusVariant.Once, LitmusVariant.Mb })
            {
                var test = new LitmusTest(shape, variant);
                SortedSet<string> sc = Outcomes(test, MemoryMode.Sc);
                SortedSet<string> tso = Outcomes(test, MemoryMode.Tso);
                SortedSet<string> lkmm = Outcomes(test, MemoryMode.Lkmm);
                if (variant == LitmusVariant.Once)
                {
                    tsoWeaker += tso.SetEquals(sc) ? 0 : 1;
                    lkmmWeaker += lkmm.SetEquals(tso) ? 0 : 1;
                }

                string program = $"{test.Name}: {string.Join(" | ", test.Threads.Select(t => string.Join("; ", t)))}";
                if (!sc.IsSubsetOf(tso) || !tso.IsSubsetOf(lkmm))
                {
                    failures.Add($"{program}: SC {Text(sc)}, TSO {Text(tso)}, LKMM {Text(lkmm)}");
                }

                if (variant == LitmusVariant.Mb && (!tso.SetEquals(sc) || !lkmm.SetEquals(sc)))
                {
                    failures.Add($"{program} with smp_mb() everywhere: SC {Text(sc)}, TSO {Text(tso)}, LKMM {Text(lkmm)}");
                }
            }
        }

        Assert.Equal(256, programs);

        // Not vacuous: store buffering shows under TSO, and the LKMM mode goes further (MP, 2+2W, ...).
        Assert.InRange(tsoWeaker, 1, programs);
        Assert.InRange(lkmmWeaker, 1, programs);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static SortedSet<string> Outcomes(LitmusTest test, MemoryMode mode) => LitmusExplorer.Search(test, mode, reduce: false).Outcomes;

    private static string Text(IEnumerable<string> outcomes) => "{" + string.Join(" ", outcomes) + "}";

    /// <summary>Each CPU runs two of: load x, load y, store x, store y; stores write 1, 2, 3, 4 in program text order.</summary>
    private static IEnumerable<LitmusShape> TwoByTwo()
    {
        for (int code = 0; code < 256; code++)
        {
            var threads = new LitmusOp[2][];
            int register = 0;
            int value = 1;
            for (int cpu = 0; cpu < 2; cpu++)
            {
                threads[cpu] = new LitmusOp[2];
                for (int i = 0; i < 2; i++)
                {
                    int access = (code >> (2 * ((2 * cpu) + i))) & 3;
                    int location = access & 1;
                    string name = location == 0 ? "x" : "y";
                    threads[cpu][i] = access < 2
                        ? new LitmusOp(LitmusInstruction.Read, location, name, 0, register++)
                        : new LitmusOp(LitmusInstruction.Write, location, name, value++, -1);
                }
            }

            string[] observed = [.. Enumerable.Range(0, register).Select(r => $"r{r}"), "x", "y"];
            yield return new LitmusShape($"P{code}", ["x", "y"], threads, observed, string.Empty, [], [], [], ["", "", "", "", ""]);
        }
    }
}
