using Verify.Kernel.Machine;

namespace Verify.Kernel.Rcu.Srcu;

/// <summary>
/// udelay() in the rate model: a busy wait that advances no jiffy by itself but takes CPU time, so
/// it is as many statements as its microseconds are worth at <paramref name="nsPerStatement"/> (at
/// least one). A model whose jiffy is few statements (the verdicts' minimal configurations) makes
/// each poll one statement; the statistics' cost model makes it the microseconds it is.
/// </summary>
public static class Udelay
{
    public static int Statements(int us, int nsPerStatement) => Math.Max(1, (int)Math.Round(us * 1000.0 / nsPerStatement));

    public static IEnumerable<Stmt> Busy(int us, int nsPerStatement)
    {
        int n = Statements(us, nsPerStatement);
        for (int i = 0; i < n; i++)
        {
            yield return n == 1 ? $"udelay({us})" : $"udelay({us}): cpu_relax() {i + 1}/{n}";
        }
    }
}
