namespace Verify.StateSpace;

/// <summary>The search for a fair cycle in one monitor's hot subgraph (see <see cref="LivenessGraph"/>).</summary>
internal sealed partial class LivenessGraph
{
    /// <summary>Strongly connected components of one monitor's hot subgraph, refined until fair.</summary>
    private sealed class FairCycleSearch
    {
        private readonly LivenessGraph g;
        private readonly int[] head;
        private readonly int[] next;

        // The labels offered at state v: offers[offerStart[v] .. offerStart[v + 1]).
        private readonly int[] offerStart;
        private readonly ulong[] offers;

        // Transitions a refinement took out: they make a choice that a fair run would leave the component by.
        private readonly bool[] banned;

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
            banned = new bool[g.edges.Count];
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

            // Subgraphs still to decompose, each with the token its states carry; a worklist rather
            // than recursion, since a refinement may remove as little as one state at a time.
            var work = new Stack<(List<int> Nodes, int Token)>();
            work.Push((nodes, token));
            while (work.Count > 0)
            {
                (List<int> part, int t) = work.Pop();
                if (Refine(part, t, work) is { } found)
                {
                    return found;
                }
            }

            return null;
        }

        /// <summary>Decomposes one subgraph: returns a fair cycle of one of its components, or queues the refined rest of each.</summary>
        private (int Start, List<int> Loop)? Refine(List<int> nodes, int t, Stack<(List<int> Nodes, int Token)> work)
        {
            foreach (List<int> scc in Components(nodes, t))
            {
                int own = ++token;
                foreach (int v in scc)
                {
                    member[v] = own;
                }

                // The first internal transition carrying each label (an actor running, a choice taking
                // a value), and the choice points made inside with their number of values.
                var carriers = new Dictionary<ulong, int>();
                var points = new Dictionary<ulong, int>();
                foreach (int v in scc)
                {
                    for (int e = head[v]; e >= 0; e = next[e])
                    {
                        if (!Inside(e, own))
                        {
                            continue;
                        }

                        carriers.TryAdd(ActorLabel(g.edges[e].Actor), e);
                        foreach ((ulong point, int bound, ulong taken) in g.Choices(g.edges[e]))
                        {
                            points.TryAdd(point, bound);
                            carriers.TryAdd(taken, e);
                        }
                    }
                }

                if (carriers.Count == 0)
                {
                    continue; // a single state without a self-loop
                }

                var required = new SortedSet<ulong>();
                var starvedActors = new HashSet<ulong>();
                foreach (int v in scc)
                {
                    for (int i = offerStart[v]; i < offerStart[v + 1]; i++)
                    {
                        required.Add(offers[i]);
                        if (!carriers.ContainsKey(offers[i]))
                        {
                            starvedActors.Add(offers[i]);
                        }
                    }
                }

                var starvedPoints = new HashSet<ulong>();
                foreach ((ulong point, int bound) in points)
                {
                    for (int y = 0; y < bound; y++)
                    {
                        ulong value = Extend(point, y);
                        required.Add(value);
                        if (!carriers.ContainsKey(value))
                        {
                            starvedPoints.Add(point);
                        }
                    }
                }

                if (starvedActors.Count == 0 && starvedPoints.Count == 0)
                {
                    int start = Entry(scc);
                    return (start, Cycle(start, required, carriers, own));
                }

                // A fair cycle avoids the states where a starved actor is enabled and the transitions
                // that make a choice whose other values lead out of the component.
                var rest = new List<int>();
                int sub = ++token;
                foreach (int v in scc)
                {
                    for (int e = head[v]; e >= 0; e = next[e])
                    {
                        if (Inside(e, own) && g.Choices(g.edges[e]).Any(c => starvedPoints.Contains(c.Point)))
                        {
                            banned[e] = true;
                        }
                    }

                    bool offersStarved = false;
                    for (int i = offerStart[v]; i < offerStart[v + 1] && !offersStarved; i++)
                    {
                        offersStarved = starvedActors.Contains(offers[i]);
                    }

                    if (!offersStarved)
                    {
                        rest.Add(v);
                    }
                }

                foreach (int v in rest)
                {
                    member[v] = sub;
                }

                if (rest.Count > 0)
                {
                    work.Push((rest, sub));
                }
            }

            return null;
        }

        /// <summary>Transition <paramref name="e"/> (from a state of the component) stays inside component <paramref name="own"/>.</summary>
        private bool Inside(int e, int own) => !banned[e] && member[g.edges[e].To] == own;

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
                    covered.Add(ActorLabel(g.edges[e].Actor));
                    covered.UnionWith(g.Choices(g.edges[e]).Select(c => c.Taken));
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
                    if (banned[e] || member[w] != own || via.ContainsKey(w))
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
                        if (banned[e] || member[w] != t)
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
