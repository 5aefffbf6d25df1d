using Verify.Strategies;
using Verify.Traces;

namespace Verify.StateSpace;

/// <summary>
/// The explored state graph, as much of it as fair-cycle detection needs: every state with its first
/// predecessor (for the stem) and its hot monitors; for states where a monitor is hot, the actors that
/// run from them; and the transitions between two states where the same monitor is hot, with the
/// decisions that ran them.
/// <para>
/// Fairness is strong, of two kinds. Actors: an actor enabled infinitely often runs infinitely often.
/// Choices, per state: if actor a runs from state v infinitely often and its j-th random choice there
/// (after answers x1..x(j-1)) is made infinitely often, each value that choice can take is taken from
/// v infinitely often. That is what Coyote's random runs do with probability one: a coin flipped at the
/// same point forever does not say no forever, and a timer that keeps running fires.
/// </para>
/// <para>
/// A liveness counterexample is a fair lasso: a reachable cycle on which monitor m is hot throughout and
/// which meets both kinds. One exists exactly when some strongly connected component of the m-hot
/// subgraph does: every actor enabled in it runs inside it, and every choice made inside it takes each
/// of its values inside it. A component that fails loses the states where a starved actor is enabled
/// and the transitions that make a starved choice, and is split again (Emerson and Lei's refinement).
/// </para>
/// </summary>
internal sealed partial class LivenessGraph
{
    private readonly Dictionary<UInt128, int> ids = [];
    private readonly List<ulong> hot = [];
    private readonly List<int> parent = [];
    private readonly List<int> depth = [];
    private readonly List<int> incomingStart = [];
    private readonly List<(int State, ulong Label)> offered = [];
    private readonly List<Decision> decisionPool = [];
    private readonly List<Edge> edges = [];

    private readonly record struct Edge(int From, int To, int Actor, int DecisionStart, int DecisionCount);

    /// <summary>States recorded.</summary>
    internal int Count => hot.Count;

    /// <summary>States where some monitor is hot.</summary>
    internal long HotStates { get; private set; }

    /// <summary>Transitions between two states where one monitor is hot.</summary>
    internal int HotTransitions => edges.Count;

    /// <summary>The id of a state, recording it first if new (with its first predecessor, the decisions from there, and its hot monitors).</summary>
    internal int Node(UInt128 hash, int from, int atDepth, ReadOnlySpan<Decision> incoming, ulong hotMask, out bool isNew)
    {
        if (ids.TryGetValue(hash, out int id))
        {
            isNew = false;
            return id;
        }

        isNew = true;
        id = hot.Count;
        ids.Add(hash, id);
        hot.Add(hotMask);
        parent.Add(from);
        depth.Add(atDepth);
        incomingStart.Add(decisionPool.Count);
        foreach (Decision d in incoming)
        {
            decisionPool.Add(d);
        }

        incomingStart.Add(decisionPool.Count);
        HotStates += hotMask != 0 ? 1 : 0;
        return id;
    }

    /// <summary>Records which actor runs from a hot source state, and the transition itself if some monitor is hot at both ends.</summary>
    internal void Transition(int from, int to, ReadOnlySpan<Decision> decisions)
    {
        if (hot[from] == 0 || decisions.Length == 0 || decisions[0].Kind != DecisionKind.Schedule)
        {
            return;
        }

        offered.Add((from, ActorLabel(decisions[0].Value)));
        if ((hot[from] & hot[to]) == 0)
        {
            return;
        }

        int start = decisionPool.Count;
        foreach (Decision d in decisions)
        {
            decisionPool.Add(d);
        }

        edges.Add(new Edge(from, to, decisions[0].Value, start, decisions.Length));
    }

    /// <summary>The label of actor <paramref name="actor"/> running at all.</summary>
    private static ulong ActorLabel(int actor) => Prng.Mix(0x4C4153534F000000UL ^ (ulong)actor);

    /// <summary>The label of a choice point: actor <paramref name="actor"/> running from state <paramref name="state"/>, before any answer.</summary>
    private static ulong ChoiceRoot(int state, int actor) => Prng.Mix(Prng.Mix(0x43484F4943450000UL ^ (ulong)state) ^ (ulong)actor);

    /// <summary>The label of a choice prefix extended by one more answer.</summary>
    private static ulong Extend(ulong prefix, int value) => Prng.Mix(prefix ^ (0x9E3779B97F4A7C15UL * (ulong)(value + 1)));

    /// <summary>
    /// The choices a transition makes: for each of its random answers, the point it was made at (the
    /// state, the actor and the answers before it), how many values it had, and the point extended by
    /// the value taken.
    /// </summary>
    private IEnumerable<(ulong Point, int Bound, ulong Taken)> Choices(Edge edge)
    {
        ulong point = ChoiceRoot(edge.From, edge.Actor);
        for (int i = 1; i < edge.DecisionCount; i++)
        {
            Decision d = decisionPool[edge.DecisionStart + i];
            ulong taken = Extend(point, d.Value);
            yield return (point, d.Bound, taken);
            point = taken;
        }
    }

    /// <summary>
    /// A fair lasso: the decisions from the initial state (the test body's first) and the index where the
    /// loop begins; null if no monitor can stay hot forever on a fair run of the explored graph.
    /// </summary>
    internal (Decision[] Decisions, int LoopStart)? FindLasso()
    {
        ulong monitors = 0;
        foreach (ulong m in hot)
        {
            monitors |= m;
        }

        for (int m = 0; m < 64; m++)
        {
            if ((monitors & (1UL << m)) == 0)
            {
                continue;
            }

            var search = new FairCycleSearch(this, 1UL << m);
            if (search.Find() is { } cycle)
            {
                return Build(cycle.Start, cycle.Loop);
            }
        }

        return null;
    }

    private (Decision[] Decisions, int LoopStart) Build(int start, List<int> loop)
    {
        var stem = new List<int>();
        for (int n = start; n >= 0; n = parent[n])
        {
            stem.Add(n);
        }

        stem.Reverse();
        var decisions = new List<Decision>();
        foreach (int n in stem)
        {
            for (int i = incomingStart[2 * n]; i < incomingStart[(2 * n) + 1]; i++)
            {
                decisions.Add(decisionPool[i]);
            }
        }

        int loopStart = decisions.Count;
        foreach (int e in loop)
        {
            Edge edge = edges[e];
            for (int i = 0; i < edge.DecisionCount; i++)
            {
                decisions.Add(decisionPool[edge.DecisionStart + i]);
            }
        }

        return (decisions.ToArray(), loopStart);
    }
}
