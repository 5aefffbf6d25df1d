using System.Diagnostics;
using System.Threading;
using Verify.Actors;
using Verify.Runtime;
using Verify.SystematicTesting;
using Verify.Traces;

namespace Verify.StateSpace;

/// <summary>
/// Depth-first search over several workers (<c>--parallel N</c>). Each worker has its own runtime
/// and model; they share the visited set, so each state is expanded by one worker. A worker that
/// runs out of work takes untried transitions another gives away, rebuilding their state by
/// re-executing the path to it from the start once (checked against the state's hash).
/// </summary>
internal sealed partial class StatefulSearch
{
    /// <summary>Whether this search starts from the initial state; the other workers of a parallel search start by waiting for work.</summary>
    internal bool StartsAtRoot { private get; init; } = true;

    /// <summary>Workers that explored the space.</summary>
    internal int Workers { get; private set; } = 1;

    // The lowest stack index that may have untried transitions to give (see Donate).
    private int donateFrom;

    /// <summary>Untried transitions one worker gave another.</summary>
    internal int Handoffs { get; private set; }

    /// <summary>
    /// Runs a depth-first search on <paramref name="workers"/> threads and returns the first worker,
    /// holding the totals of all of them and the bug of the one that found it first;
    /// <paramref name="failure"/> is the first exception a worker threw (the others stopped then).
    /// Past <paramref name="limit"/>, a step that does not return is given up on (<paramref name="hang"/>):
    /// the other workers stop, and that worker's path to the step is the bug's trace.
    /// </summary>
    internal static StatefulSearch RunParallel(Func<IActorRuntime, Task?> test, Configuration config, int workers, Action? iterationDispose, Stopwatch clock, Watchdog dog, TimeSpan limit, out Exception? failure, out Hang? hang, Action<IReadOnlyList<StatefulSearch>>? started = null)
    {
        var shared = new SharedSearch(workers, VisitedStores.CreateShared(config));
        StatefulSearch[] searches = Enumerable.Range(0, workers)
            .Select(w => new StatefulSearch(test, config, breadthFirst: false, config.PartialOrderReduction, iterationDispose, clock, shared) { StartsAtRoot = w == 0 })
            .ToArray();
        started?.Invoke(searches);
        foreach (StatefulSearch s in searches)
        {
            dog.Watch(s);
        }

        Exception? thrown = null;
        bool[] finished = new bool[workers];
        hang = dog.Run(
            () => WorkerThreads.Run(workers, "verify-search", w =>
            {
                try
                {
                    searches[w].Run();
                }
                catch (Exception ex)
                {
                    Interlocked.CompareExchange(ref thrown, ex, null);
                    shared.Stop();
                }
                finally
                {
                    Volatile.Write(ref finished[w], true);
                }
            }),
            clock,
            limit,
            config.WatchdogGrace);

        StatefulSearch? stuck = null;
        if (hang is not null)
        {
            stuck = (StatefulSearch)hang.Watched;
            shared.Stop();
            int index = Array.IndexOf(searches, stuck);
            Watchdog.Await(() => Enumerable.Range(0, workers).All(w => w == index || Volatile.Read(ref finished[w])), config.WatchdogGrace);
            stuck.Abandon(hang);
        }
        else
        {
            shared.Visited.Dispose();
        }

        StatefulSearch first = searches[0];
        first.Absorb(searches, stuck ?? shared.Finder);
        first.Handoffs = shared.Handoffs;
        failure = thrown;
        return first;
    }

    /// <summary>Adds the other workers' counts to this one's and takes the bug of <paramref name="finder"/>.</summary>
    private void Absorb(StatefulSearch[] all, StatefulSearch? finder)
    {
        Workers = all.Length;
        bool exhausted = true;
        foreach (StatefulSearch s in all)
        {
            exhausted &= s.Exhausted;
            TimedOut |= s.TimedOut;
            StoppedOnRequest |= s.StoppedOnRequest;
            MemoryBound |= s.MemoryBound;
            StateBound |= s.StateBound;
            HasLivenessMonitors |= s.HasLivenessMonitors;
            MaxDepth = Math.Max(MaxDepth, s.MaxDepth);
            PeakMemory = Math.Max(PeakMemory, s.PeakMemory);
            if (s.graphDecided && !graphDecided)
            {
                graphDecided = true;
                CycleCheck = s.CycleCheck;
            }

            if (s == this)
            {
                continue;
            }

            States += s.States;
            Transitions += s.Transitions;
            ReplayedSteps += s.ReplayedSteps;
            BoundCut += s.BoundCut;
            TerminalStates += s.TerminalStates;
            Reopened += s.Reopened;
            reduction.ReducedStates += s.reduction.ReducedStates;
            if (s.coverage is not null)
            {
                coverage?.Add(s.coverage);
            }
        }

        // A worker prunes a state it reaches shallower than another worker is exploring it, before
        // any cut is known; if the bound then cuts that subtree, states within the bound may be
        // missed. So a parallel run that cut states does not claim every state within the bound.
        Exhausted = exhausted && BoundCut == 0;
        if (finder is not null)
        {
            Bug = finder.Bug;
            BugDecisions = finder.BugDecisions;
        }
    }

    /// <summary>
    /// Gives away the untried transitions of the state nearest the root that has any, except the
    /// top of the stack: the worker keeps the branch it is in, so work always moves forward.
    /// </summary>
    private void Donate(List<SearchNode> stack)
    {
        // States below donateFrom had nothing to give, and they change only once they are the top again.
        int i = Math.Max(1, donateFrom);
        for (; i < stack.Count - 1; i++)
        {
            SearchNode node = stack[i];

            // A state reduction may still widen is not split; the operation whose answers are being tried stays.
            int from = node.Answers is null ? node.OpIndex : node.OpIndex + 1;
            if (node.Limit != node.OpCount || from >= node.Limit)
            {
                continue;
            }

            var path = new Decision[i][];
            var hashes = new UInt128[i];
            for (int j = 1; j <= i; j++)
            {
                path[j - 1] = stack[j].Incoming.ToArray();
                hashes[j - 1] = stack[j].Hash;
            }

            int[] ops = node.Ops[from..node.Limit].ToArray();
            node.Limit = node.OpCount = from;
            shared!.Give(new WorkItem(path, hashes, ops, node.EnabledCount));
            donateFrom = i + 1;
            return;
        }

        donateFrom = i;
    }

    /// <summary>Rebuilds the state of a work item given away by another worker and makes its path this worker's stack.</summary>
    private void Adopt(List<SearchNode> stack, WorkItem item)
    {
        SearchNode root = SearchNode.Root();
        root.OpIndex = root.Limit;
        stack.Add(root);
        for (int j = 0; j < item.Path.Length; j++)
        {
            SearchNode node = freeNodes.Count > 0 ? freeNodes.Pop() : new SearchNode();
            node.Reset(item.Path[j], j, item.Hashes[j], enabled: 0, graphId: -1);
            node.Limit = 0;
            stack.Add(node);
        }

        SearchNode last = stack[^1];
        last.SetOps(item.Ops);
        last.EnabledCount = item.EnabledCount;
        at = null;
        MoveTo(stack);
        if (Capture() != last.Hash)
        {
            throw NotDeterministic($"re-executing the {last.Depth + 1} steps to a state another worker reached gave a different state");
        }

        KeepSnapshot(last);
    }
}
