using Verify.SystematicTesting;

namespace Verify.Kernel.Memory.Litmus;

/// <summary>Settles litmus tests by exhaustive stateful search: every reachable terminal state, so every outcome.</summary>
public static class LitmusExplorer
{
    /// <summary>The largest litmus run takes about 20 steps; a bound that cut a state would leave outcomes out, and is an error.</summary>
    private const uint DepthBound = 1_000;

    public static LitmusResult Explore(LitmusTest test, MemoryMode mode)
    {
        var outcomes = new SortedSet<string>(StringComparer.Ordinal);
        Configuration config = Configuration.Create()
            .WithStrategy("stateful-dfs", 0)
            .WithRandomGeneratorSeed(0)
            .WithMaxSchedulingSteps(DepthBound);
        var engine = TestingEngine.Create(config, r => LitmusMachine.Boot(r, test, mode, outcomes));
        engine.Run();
        TestReport report = engine.TestReport;
        StateSpaceReport? space = report.StateSpace;
        if (report.Error is not null || report.Bug is not null || !report.Exhausted || space is null || space.BoundCutStates > 0)
        {
            throw new InvalidOperationException(
                $"The search of litmus test {test.Name} under {mode} did not exhaust its state space, so its outcome set is incomplete:\n{report.Summary()}"
                + "A bug here is a fault in the memory model or the litmus harness; replay the search's trace with `verify replay` to see it.");
        }

        return new LitmusResult(test, mode, outcomes, space.States, space.Transitions);
    }

    /// <summary>Every test of the catalog in every mode, test by test.</summary>
    public static IReadOnlyList<LitmusResult> ExploreAll() =>
        LitmusCatalog.All.SelectMany(t => Enum.GetValues<MemoryMode>().Select(m => Explore(t, m))).ToArray();
}
