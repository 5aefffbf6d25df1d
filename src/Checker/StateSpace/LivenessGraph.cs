using Verify.Strategies;
using Verify.Traces;

namespace Verify.StateSpace;

/// <summary>
/// The explored state graph, as much of it as fair-cycle detection needs: every state with its first
/// predecessor (for the stem) and its hot monitors; for states where a monitor is hot, the fairness
/// labels of every transition leaving them; and the transitions between two states where the same
/// monitor is hot, with the decisions that ran them.
/// <para>
/// Fairness is strong fairness on labels. A transition of actor a whose random answers are
/// x1..xk carries the label a and the labels (a, x1..xj) for each j; at its source state it also
/// offers the labels (a, x1..x(j-1), y) for every other value y the j-th choice could take. A run is
/// fair if every label offered infinitely often is carried infinitely often: every actor enabled
/// infinitely often runs, and a choice made infinitely often takes each of its values (as Coyote's
/// random fair runs do with probability one; a timer keeps firing, a coin does not say no forever).
/// </para>
/// <para>
/// A liveness counterexample is a fair lasso: a reachable cycle on which monitor m is hot throughout
/// and which carries every label offered on it. One exists exactly when some strongly connected
/// component of the m-hot subgraph carries, inside it, every label offered by its states; a component
/// that fails this for a label loses the states offering that label and is split again (the
/// Emerson-Lei refinement for strong fairness).
/// </para>
/// </summary>
internal sealed class LivenessGraph
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

    /// <summary>Records the labels a transition offers at a hot source state, and the transition itself if some monitor is hot at both ends.</summary>
    internal void Transition(int from, int to, ReadOnlySpan<Decision> decisions)
    {
        if (hot[from] == 0 || decisions.Length == 0 || decisions[0].Kind != DecisionKind.Schedule)
        {
            return;
        }

        int actor = decisions[0].Value;
        ulong prefix = Label(actor);
        offered.Add((from, prefix));
        for (int i = 1; i < decisions.Length; i++)
        {
            for (int y = 0; y < decisions[i].Bound; y++)
            {
                offered.Add((from, Extend(prefix, y)));
            }

            prefix = Extend(prefix, decisions[i].Value);
        }

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
    private static ulong Label(int actor) => Prng.Mix(0x4C4153534F000000UL ^ (ulong)actor);

    /// <summary>The label of a choice prefix extended by one more answer.</summary>
    private static ulong Extend(ulong prefix, int value) => Prng.Mix(prefix ^ (0x9E3779B97F4A7C15UL * (ulong)(value + 1)));

    /// <summary>The labels a transition carries: its actor and each prefix of its answers.</summary>
    private IEnumerable<ulong> Carried(Edge edge)
    {
        ulong prefix = Label(edge.Actor);
        yield return prefix;
        for (int i = 1; i < edge.DecisionCount; i++)
        {
            prefix = Extend(prefix, decisionPool[edge.DecisionStart + i].Value);
            yield return prefix;
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

    /// <summary>Strongly connected components of one monitor's hot subgraph, refined until fair.</summary>
    private sealed class FairCycleSearch
    {
        private readonly LivenessGraph g;
        private readonly int[] head;
        private readonly int[] next;

        // The labels offered at state v: offers[offerStart[v] .. offerStart[v + 1]).
        private readonly int[] offerStart;
        private readonly ulong[] offers;

        // member[n] == token: n belongs to the subgraph being decomposed.
        private readonly int[] member;
        private int token;

        internal FairCycleSearch(LivenessGraph graph, ulong bit)
        {
            g = graph;
            int n = g.Count;
            head = new int[n];
            Array.Fill(head, -1);
            next = new int[g.edges.Count];
            member = new int[n];
            token = 1;
            for (int e = 0; e < g.edges.Count; e++)
            {
                Edge edge = g.edges[e];
                if ((g.hot[edge.From] & g.hot[edge.To] & bit) != 0)
                {
                    next[e] = head[edge.From];
                    head[edge.From] = e;
                }
                else
                {
                    next[e] = -2;
                }
            }

            for (int v = 0; v < n; v++)
            {
                if ((g.hot[v] & bit) != 0)
                {
                    member[v] = token;
                }
            }

            offerStart = new int[n + 1];
            foreach ((int state, ulong _) in g.offered)
            {
                offerStart[state + 1]++;
            }

            for (int v = 0; v < n; v++)
            {
                offerStart[v + 1] += offerStart[v];
            }

            offers = new ulong[g.offered.Count];
            int[] fill = (int[])offerStart.Clone();
            foreach ((int state, ulong label) in g.offered)
            {
                offers[fill[state]++] = label;
            }
        }

        internal (int Start, List<int> Loop)? Find()
        {
            var nodes = new List<int>();
            for (int v = 0; v < member.Length; v++)
            {
                if (member[v] == token)
                {
                    nodes.Add(v);
                }
            }

            return Refine(nodes, token);
        }

        private (int Start, List<int> Loop)? Refine(List<int> nodes, int t)
        {
            foreach (List<int> scc in Components(nodes, t))
            {
                int own = ++token;
                foreach (int v in scc)
                {
                    member[v] = own;
                }

                // The first internal transition carrying each label.
                var carriers = new Dictionary<ulong, int>();
                foreach (int v in scc)
                {
                    for (int e = head[v]; e >= 0; e = next[e])
                    {
                        if (member[g.edges[e].To] == own)
                        {
                            foreach (ulong label in g.Carried(g.edges[e]))
                            {
                                carriers.TryAdd(label, e);
                            }
                        }
                    }
                }

                if (carriers.Count == 0)
                {
                    continue; // a single state without a self-loop
                }

                var required = new SortedSet<ulong>();
                var starved = new HashSet<ulong>();
                foreach (int v in scc)
                {
                    for (int i = offerStart[v]; i < offerStart[v + 1]; i++)
                    {
                        ulong label = offers[i];
                        required.Add(label);
                        if (!carriers.ContainsKey(label))
                        {
                            starved.Add(label);
                        }
                    }
                }

                if (starved.Count == 0)
                {
                    int start = Entry(scc);
                    return (start, Cycle(start, required, carriers, own));
                }

                // Labels offered here but never carried here: a fair cycle avoids the states offering them.
                var rest = new List<int>();
                int sub = ++token;
                foreach (int v in scc)
                {
                    bool offersStarved = false;
                    for (int i = offerStart[v]; i < offerStart[v + 1] && !offersStarved; i++)
                    {
                        offersStarved = starved.Contains(offers[i]);
                    }

                    if (!offersStarved)
                    {
                        member[v] = sub;
                        rest.Add(v);
                    }
                }

                if (rest.Count > 0 && Refine(rest, sub) is { } found)
                {
                    return found;
                }
            }

            return null;
        }

        /// <summary>The component's state closest to the initial state, where the loop starts.</summary>
        private int Entry(List<int> scc)
        {
            int best = scc[0];
            foreach (int v in scc)
            {
                if (g.depth[v] < g.depth[best] || (g.depth[v] == g.depth[best] && v < best))
                {
                    best = v;
                }
            }

            return best;
        }

        /// <summary>A cycle from <paramref name="start"/> inside component <paramref name="own"/> that carries every label in <paramref name="required"/>.</summary>
        private List<int> Cycle(int start, SortedSet<ulong> required, Dictionary<ulong, int> carriers, int own)
        {
            var loop = new List<int>();
            var covered = new HashSet<ulong>();
            int at = start;
            foreach (ulong label in required)
            {
                if (covered.Contains(label))
                {
                    continue;
                }

                int pick = carriers[label];
                foreach (int e in Path(at, g.edges[pick].From, own).Append(pick))
                {
                    loop.Add(e);
                    covered.UnionWith(g.Carried(g.edges[e]));
                }

                at = g.edges[pick].To;
            }

            loop.AddRange(Path(at, start, own));
            return loop;
        }

        /// <summary>A shortest path of transitions inside the component (breadth-first).</summary>
        private List<int> Path(int from, int to, int own)
        {
            var path = new List<int>();
            if (from == to)
            {
                return path;
            }

            var via = new Dictionary<int, int> { [from] = -1 };
            var queue = new Queue<int>();
            queue.Enqueue(from);
            while (queue.Count > 0)
            {
                int v = queue.Dequeue();
                for (int e = head[v]; e >= 0; e = next[e])
                {
                    int w = g.edges[e].To;
                    if (member[w] != own || via.ContainsKey(w))
                    {
                        continue;
                    }

                    via[w] = e;
                    if (w == to)
                    {
                        for (int x = to; x != from; x = g.edges[via[x]].From)
                        {
                            path.Add(via[x]);
                        }

                        path.Reverse();
                        return path;
                    }

                    queue.Enqueue(w);
                }
            }

            throw new InvalidOperationException("checker bug: a strongly connected component without a path between two of its states; please attach the model");
        }

        /// <summary>Tarjan's strongly connected components of the states with member == t, iteratively.</summary>
        private List<List<int>> Components(List<int> nodes, int t)
        {
            var result = new List<List<int>>();
            var index = new Dictionary<int, int>();
            var low = new Dictionary<int, int>();
            var onStack = new HashSet<int>();
            var stack = new Stack<int>();
            var work = new Stack<(int Node, int Edge)>();
            int counter = 0;
            foreach (int root in nodes)
            {
                if (index.ContainsKey(root))
                {
                    continue;
                }

                work.Push((root, -1));
                while (work.Count > 0)
                {
                    (int v, int e) = work.Pop();
                    if (e == -1)
                    {
                        index[v] = low[v] = counter++;
                        stack.Push(v);
                        onStack.Add(v);
                        e = head[v];
                    }
                    else
                    {
                        // Back from the child reached through edge e.
                        low[v] = Math.Min(low[v], low[g.edges[e].To]);
                        e = next[e];
                    }

                    bool descended = false;
                    for (; e >= 0; e = next[e])
                    {
                        int w = g.edges[e].To;
                        if (member[w] != t)
                        {
                            continue;
                        }

                        if (!index.ContainsKey(w))
                        {
                            work.Push((v, e));
                            work.Push((w, -1));
                            descended = true;
                            break;
                        }

                        if (onStack.Contains(w))
                        {
                            low[v] = Math.Min(low[v], index[w]);
                        }
                    }

                    if (descended || low[v] != index[v])
                    {
                        continue;
                    }

                    var scc = new List<int>();
                    int x;
                    do
                    {
                        x = stack.Pop();
                        onStack.Remove(x);
                        scc.Add(x);
                    }
                    while (x != v);
                    result.Add(scc);
                }
            }

            return result;
        }
    }
}
