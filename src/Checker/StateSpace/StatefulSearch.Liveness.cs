using Verify.Runtime;
using Verify.Strategies;
using Verify.SystematicTesting;
using Verify.Traces;
using Trace = Verify.Traces.Trace;

namespace Verify.StateSpace;

/// <summary>Liveness as cycles: the state graph kept while searching, and the fair lasso looked for at the end.</summary>
internal sealed partial class StatefulSearch
{
    private LivenessGraph? graph;
    private bool graphDecided;

    /// <summary>How the search checked for hot cycles.</summary>
    internal CycleCheck CycleCheck { get; private set; }

    /// <summary>The index of the first loop decision when the bug is a lasso.</summary>
    internal int? BugLoopStart { get; private set; }

    /// <summary>
    /// Adds the state just reached to the liveness graph and the transition into it; returns its id,
    /// or -1 when no graph is kept. The graph is kept when a monitor registered by the test body has a
    /// hot state, reduction is off (reduction preserves safety, not cycles) and the search runs on one worker.
    /// </summary>
    private int Record(SearchNode from, UInt128 hash, int depth)
    {
        if (!graphDecided)
        {
            graphDecided = true;
            bool hotMonitors = runtime.Monitors.Any(m => m.Info.HasHotState);
            CycleCheck = !hotMonitors ? CycleCheck.NoHotMonitor
                : reduce ? CycleCheck.OffUnderReduction
                : shared is not null ? CycleCheck.OffInParallel
                : CycleCheck.Checked;
            if (CycleCheck == CycleCheck.Checked)
            {
                graph = new LivenessGraph();
            }
        }

        if (graph is null)
        {
            return -1;
        }

        int id = graph.Node(hash, from.GraphId, depth, decisions.AsSpan(), Lasso.HotMask(runtime), out _);
        if (from.GraphId >= 0)
        {
            graph.Transition(from.GraphId, id, decisions.AsSpan());
        }

        return id;
    }

    /// <summary>Looks for a fair lasso in the graph; one found is replayed to confirm it and becomes the bug.</summary>
    private void FindLasso()
    {
        if (graph!.FindLasso() is not { } lasso)
        {
            return;
        }

        var trace = new Trace { Test = "lasso", MaxSteps = settings.MaxSteps, Decisions = lasso.Decisions, LoopStart = lasso.LoopStart };
        ActorRuntime replayed;
        try
        {
            replayed = Lasso.Replay(test, trace, new DecisionLog(), settings, log: false, out _);
        }
        catch (TraceDivergenceException ex)
        {
            throw NotDeterministic($"re-executing a cycle found by the search did not return to its state ({ex.Message})");
        }
        finally
        {
            iterationDispose?.Invoke();
        }

        if (replayed.Bug is null || replayed.Bug.Kind != BugKind.Liveness)
        {
            throw new NondeterministicModelException(
                $"The model is not deterministic: re-executing a cycle found by the search gave {replayed.Bug?.Summary ?? "no bug"}.");
        }

        Bug = replayed.Bug;
        BugDecisions = lasso.Decisions;
        BugLoopStart = lasso.LoopStart;
    }
}
