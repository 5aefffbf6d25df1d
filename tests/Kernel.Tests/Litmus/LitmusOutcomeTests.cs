using Verify.Kernel.Memory;
using Verify.Kernel.Memory.Litmus;
using Xunit;

namespace Kernel.Tests.Litmus;

/// <summary>
/// Each litmus test, searched exhaustively in each memory mode, reaches exactly the outcomes that
/// mode allows, with and without partial-order reduction.
/// </summary>
public class LitmusOutcomeTests
{
    public static TheoryData<string, MemoryMode> Cases()
    {
        var data = new TheoryData<string, MemoryMode>();
        foreach (LitmusTest t in LitmusCatalog.All)
        {
            foreach (MemoryMode m in Enum.GetValues<MemoryMode>())
            {
                data.Add(t.Name, m);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExhaustiveSearch_ReachesExactlyTheAllowedOutcomes(string test, MemoryMode mode)
    {
        LitmusResult r = LitmusExplorer.Explore(LitmusCatalog.Find(test), mode);
        Assert.Equal(Text(r.Expected), Text(r.Found));
        Assert.Equal(Text(r.Found), Text(r.ReducedFound));
        Assert.True(r.ReducedStates <= r.States, $"reduction visited {r.ReducedStates} states, more than the {r.States} of the full search");
    }

    private static string Text(IEnumerable<string> outcomes) => string.Join(" ", outcomes.Order(StringComparer.Ordinal));
}
