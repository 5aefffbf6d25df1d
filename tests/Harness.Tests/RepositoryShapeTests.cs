using Verify.Harness.Commands;
using Xunit;

namespace Verify.Harness.Tests;

/// <summary>What the repository commits and what the harness takes from the protocols.</summary>
public sealed class RepositoryShapeTests
{
    [Fact]
    public void Traces_HoldOnlyTraceFiles()
    {
        string[] others = Directory.EnumerateFiles(Path.Combine(Repo.Root, "traces"), "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".trace", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Repo.Root, f))
            .ToArray();

        Assert.True(others.Length == 0, "traces/ commits only .trace files (`verify replay` regenerates the views into verify-out/):\n" + string.Join("\n", others));
    }

    [Theory]
    [InlineData("traces/kvm-rcu/C.GuestHlt.NoRcucWakeupBeforeReentry.trace", "verify-out")]
    [InlineData("/tmp/run/traces/x.trace", "verify-out")]
    [InlineData("/tmp/run/out/x.trace", "/tmp/run/out")]
    [InlineData("x.trace", ".")]
    public void Minimize_WritesBesideTheTrace_ExceptUnderTraces(string trace, string expected)
    {
        Assert.Equal(expected, MinimizeCommand.DefaultDirectory(trace));
    }

    [Fact]
    public void BenchRows_AreTheFilterLockThenEachProtocolsRows()
    {
        const string window = "KVM/RCU GuestHlt, vcpu_put-to-idle window";
        const string steady = "KVM/RCU SteadyGuest, grace-period guarantee, C, 3 jiffies";
        (string, string, bool, StatefulBench.Expect)[] expected =
        [
            ("filter lock, 4 processes", "stateful-dfs", false, StatefulBench.Expect.Exhausted),
            ("filter lock, 4 processes", "stateful-dfs", false, StatefulBench.Expect.Exhausted),
            ("filter lock, 4 processes", "stateful-dfs", false, StatefulBench.Expect.Exhausted),
            ($"{window}, CPlus", "stateful-dfs", false, StatefulBench.Expect.Bug),
            ($"{window}, CPlus", "stateful-bfs", false, StatefulBench.Expect.Bug),
            ($"{window}, C", "stateful-dfs", false, StatefulBench.Expect.Exhausted),
            ($"{window}, C", "stateful-dfs", true, StatefulBench.Expect.Exhausted),
            ($"{window}, A", "stateful-dfs", false, StatefulBench.Expect.Exhausted),
            (steady, "stateful-dfs", false, StatefulBench.Expect.Exhausted),
            (steady, "stateful-dfs", true, StatefulBench.Expect.Exhausted),
        ];

        Assert.Equal(expected, StatefulBench.Rows.Select(r => (r.Model, r.Search, r.Reduce, r.Expect)));

        // The filter lock three times: the default store, then --hash-compact and --bitstate, each beside SPIN's own.
        Assert.Equal([StateStore.HashCompact96, StateStore.HashCompact64, StateStore.Bitstate], StatefulBench.Rows.Take(3).Select(r => r.Store));
    }

    [Fact]
    public void Progress_RewritesOneLine_AndClearsIt()
    {
        var w = new StringWriter();
        var p = new Progress(w);

        p.Show("[1/2] long name");
        p.Show("[2/2] x");
        p.Clear();

        Assert.Equal("\r[1/2] long name\r[2/2] x        \r       \r", w.ToString());
    }

    [Fact]
    public void Check_WithRedirectedOutput_PrintsNoProgress()
    {
        var o = new StringWriter();

        CheckCommand.Run(["-i", "2"], o, TestRegistry.BuiltIn().Where(t => t.Namespace == "Verify.Harness.Reference" && !t.FullName.Contains("FilterLock", StringComparison.Ordinal)).ToList());

        Assert.Null(Progress.ForTerminal(o));
        Assert.DoesNotContain("\r", o.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
