using Verify.Actors;
using Verify.SystematicTesting;

namespace Verify.Kernel.Memory.Litmus;

/// <summary>Settles litmus tests by exhaustive stateful search: every reachable terminal state, so every outcome.</summary>
public static class LitmusExplorer
{
    /// <summary>The largest litmus run takes about 20 steps; a bound that cut a state would leave outcomes out, and is an error.</summary>
    private const uint DepthBound = 1_000;

    /// <summary>Searches without and with partial-order reduction; both must reach every terminal state.</summary>
    public static LitmusResult Explore(LitmusTest test, MemoryMode mode)
    {
        (SortedSet<string> found, StateSpaceReport full) = Search(test, mode, reduce: false);
        (SortedSet<string> reducedFound, StateSpaceReport reduced) = Search(test, mode, reduce: true);
        return new LitmusResult(test, mode, found, full.States, full.Transitions, reducedFound, reduced.States);
    }

    internal static (SortedSet<string> Outcomes, StateSpaceReport Space) Search(LitmusTest test, MemoryMode mode, bool reduce)
    {
        var outcomes = new SortedSet<string>(StringComparer.Ordinal);
        Configuration config = Configuration.Create()
            .WithStrategy("stateful-dfs", 0)
            .WithRandomGeneratorSeed(0)
            .WithMaxSchedulingSteps(DepthBound)
            .WithPartialOrderReduction(reduce);
        var engine = TestingEngine.Create(config, r => LitmusMachine.Boot(r, test, mode, outcomes));
        engine.Run();
        TestReport report = engine.TestReport;
        StateSpaceReport? space = report.StateSpace;
        if (report.Error is not null || report.Bug is not null || !report.Exhausted || space is null || space.BoundCutStates > 0)
        {
            throw new InvalidOperationException(
                $"The search{(reduce ? " with partial-order reduction" : string.Empty)} of litmus test {test.Name} under {mode} did not exhaust its state space, so its outcome set is incomplete:\n{report.Summary()}"
                + "A bug here is a fault in the memory model or the litmus harness; replay the search's trace with `verify replay` to see it.");
        }

        return (outcomes, space);
    }

    /// <summary>
    /// The test body of <paramref name="test"/> under <paramref name="mode"/>, for a search run
    /// elsewhere (a benchmark): it boots the memory and the CPUs; the outcomes it reaches are not kept.
    /// </summary>
    public static Action<IActorRuntime> Body(LitmusTest test, MemoryMode mode) =>
        r => LitmusMachine.Boot(r, test, mode, new SortedSet<string>(StringComparer.Ordinal));

    /// <summary>Every test of the catalog in every mode, test by test.</summary>
    public static IReadOnlyList<LitmusResult> ExploreAll() =>
        LitmusCatalog.All.SelectMany(t => Enum.GetValues<MemoryMode>().Select(m => Explore(t, m))).ToArray();
}
