using Verify.Kernel.Memory;
using Verify.Kernel.Memory.Litmus;
using Xunit;

namespace Kernel.Tests.Litmus;

public class LitmusTableTests
{
    [Fact]
    public void DocsLitmusTable_IsWhatTheSearchesGiveToday()
    {
        string path = Path.Combine(RepositoryRoot(), "docs", "litmus.md");
        string regenerated = LitmusTable.Render(LitmusExplorer.ExploreAll());
        Assert.True(File.Exists(path), $"docs/litmus.md is missing; run `{LitmusTable.Command}`.");
        Assert.True(
            regenerated == File.ReadAllText(path),
            $"docs/litmus.md differs from what the litmus searches give now; run `{LitmusTable.Command}` and review the difference.");
    }

    [Fact]
    public void LkmmMode_DiffersFromTheLkmm_OnlyOnLoadBuffering()
    {
        IEnumerable<string> differing = LitmusCatalog.All
            .Where(t => t.Expected(MemoryMode.Lkmm).Contains(t.Weak) != t.LkmmAllowsWeak)
            .Select(t => t.Name);
        Assert.Equal(["LB", "LB+once", "LB+wmb+rmb"], differing);
    }

    [Fact]
    public void Tso_AllowsOnlyStoreBuffering()
    {
        IEnumerable<string> weak = LitmusCatalog.All.Where(t => t.Expected(MemoryMode.Tso).Contains(t.Weak)).Select(t => t.Name);
        Assert.Equal(["SB", "SB+once", "SB+wmb+rmb", "SB+release+acquire"], weak);
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Verify.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException($"No Verify.sln above {AppContext.BaseDirectory}; run the tests from the repository.");
    }
}
