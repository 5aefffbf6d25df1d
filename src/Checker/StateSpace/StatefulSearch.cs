using System.Diagnostics;
using Verify.Actors;
using Verify.Runtime;
using Verify.Strategies;
using Verify.SystematicTesting;
using Verify.Traces;
using Trace = Verify.Traces.Trace;

namespace Verify.StateSpace;

/// <summary>
/// Stateful exhaustive search: every scheduling decision and every random answer, with each state
/// expanded once. A transition is one actor step with one sequence of random answers. States are
/// hashed (<see cref="StateCapture"/>) into a <see cref="VisitedSet"/>; the search moves back to a
/// state by restoring its <see cref="Snapshot"/>, or, when an actor of that state has since resumed
/// from a receive (a continuation cannot be cloned), by restoring the nearest earlier usable
/// snapshot and re-executing the decisions from there (the engine is deterministic).
/// Depth-first by default; breadth-first finds a shortest counterexample. With reduction on, a
/// state where some actor's next step is local expands that step only (see <see cref="Reduction"/>).
/// </summary>
internal sealed partial class StatefulSearch : IWatched
{
    /// <summary>The operation of the root: running the test body.</summary>
    internal const int BodyOp = 0;
    private const int CheckEvery = 1024;

    // Depth-first keeps a snapshot on every snapshotEvery-th level of its stack and re-executes the
    // few steps from there: the stack of a large search is hundreds of thousands of states deep.
    private readonly int snapshotEvery;

    // Breadth-first keeps a snapshot for each frontier state up to this many; a wide frontier
    // would otherwise hold gigabytes of copies. Beyond it, states are rebuilt from the start.
    private readonly int snapshotBudget;
    private int snapshotsInUse;

    private readonly Func<IActorRuntime, Task?> test;
    private readonly Action? iterationDispose;
    private readonly bool breadthFirst;
    private readonly bool reduce;
    private readonly RunSettings settings;
    private readonly Stopwatch clock;
    private readonly TimeSpan limit;
    private readonly long maxMemory;
    private readonly long maxStates;
    private readonly DecisionLog decisions = new();
    private readonly ValueOracle oracle = new();
    private readonly ActorRuntime runtime;
    private readonly StateCapture capture = new();
    private readonly IVisitedStore? visited;
    private readonly Configuration config;
    private readonly Stack<SearchNode> freeNodes = new();
    private readonly Stack<Snapshot> freeSnapshots = new();
    private SearchNode? at;

    // A copy of the last new state depth-first search arrived at with more than one transition to
    // try (when no node snapshot holds it): the search comes back to it after each successor it
    // has seen before, and restores it by rewriting the roots that one step changed, where
    // otherwise it would restore an earlier snapshot and re-execute the steps since. Taken over
    // the copy before, it costs the roots that changed, unless the model's object lists shift on
    // most steps (async continuations that come and go): then every copy is a whole one, and
    // the search stops taking them for a while when most copies of a window were whole.
    private const int CursorWindow = 4096;
    private readonly Snapshot cursor = new();
    private UInt128 cursorHash;
    private bool cursorValid;
    private int cursorTakes;
    private int cursorWhole;
    private int cursorPause;

    // The layout of the state the runtime is in, when known (see Snapshot.Restore): the last
    // capture's, or the restored snapshot's; null once the runtime has moved since.
    private StateLayout? live;
    private bool bodyRan;

    private readonly Reduction reduction;

    // Walks each new state's fields when the configuration asks for a state profile.
    private readonly StateProfile? profile;

    // Counts each transition's states, handlers and transitions once: re-executions do not count.
    private readonly CoverageCounter? coverage;

    // Whether the last transition was local (see Reduction.IsLocal), for the reduction's check.
    private bool lastLocal;

    // The search this one is a worker of, or null when it runs alone.
    private readonly SharedSearch? shared;

    internal StatefulSearch(Func<IActorRuntime, Task?> test, Configuration config, bool breadthFirst, bool reduce, Action? iterationDispose, Stopwatch clock, SharedSearch? shared = null)
    {
        this.test = test;
        this.shared = shared;
        this.iterationDispose = iterationDispose;
        this.breadthFirst = breadthFirst;
        this.reduce = reduce;
        this.clock = clock;
        snapshotEvery = Math.Max(1, config.SnapshotInterval);
        snapshotBudget = config.SnapshotBudget;
        limit = config.TestingTimeout > 0 ? TimeSpan.FromSeconds(config.TestingTimeout) : TimeSpan.MaxValue;
        maxMemory = config.MaxMemoryBytes;
        maxStates = config.MaxStates;
        settings = new RunSettings(config.MaxUnfairSchedulingSteps, false, config.EffectiveThreshold, config.FailOnMaxSteps, config.TimeoutDelay, AtomicSharedObjects: true);
        coverage = config.ReportActivityCoverage ? new CoverageCounter() : null;
        runtime = new ActorRuntime(oracle, decisions, settings, log: false) { Coverage = coverage };
        reduction = new Reduction(runtime, capture, reduce);
        if (config.CheckFrozenFields)
        {
            capture.Frozen = new FrozenCheck();
        }

        profile = config.StateProfileFields > 0 ? new StateProfile() : null;

        this.config = config;
        visited = shared is null ? VisitedStores.Create(config) : null;
    }

    internal long States { get; private set; }

    internal long Transitions { get; private set; }

    /// <summary>Steps re-executed to rebuild states whose snapshot was no longer usable.</summary>
    internal long ReplayedSteps { get; private set; }

    /// <summary>States the depth bound cut (they had enabled operations).</summary>
    internal long BoundCut { get; private set; }

    /// <summary>States with no enabled operation.</summary>
    internal long TerminalStates { get; private set; }

    /// <summary>States expanded through one actor only (reduction).</summary>
    internal long ReducedStates => reduction.ReducedStates;

    /// <summary>States explored again because the bound had cut them deeper before.</summary>
    internal long Reopened { get; private set; }

    internal int MaxDepth { get; private set; }

    internal long PeakMemory { get; private set; }

    internal bool Exhausted { get; private set; }

    internal bool TimedOut { get; private set; }

    /// <summary>Stopped on a <see cref="StopRequest"/>.</summary>
    internal bool StoppedOnRequest { get; private set; }

    /// <summary>Stopped because the heap and the visited set reached <see cref="Configuration.MaxMemoryBytes"/>, or memory ran out.</summary>
    internal bool MemoryBound { get; private set; }

    /// <summary>Stopped because a new state would have been one more than <see cref="Configuration.MaxStates"/>.</summary>
    internal bool StateBound { get; private set; }

    internal bool HasLivenessMonitors { get; private set; }

    internal BugReport? Bug { get; private set; }

    /// <summary>The decisions from the initial state to the bug.</summary>
    internal Decision[]? BugDecisions { get; private set; }

    internal string Describe() => (breadthFirst ? "stateful-bfs" : "stateful-dfs") + (reduce ? "(por)" : string.Empty);

    // The path to the state whose transition runs now, for the watchdog: the depth-first stack, or the breadth-first node.
    private List<SearchNode>? stackNow;
    private SearchNode? nodeNow;

    public ActorRuntime? Runtime => runtime;

    /// <summary>The decisions from the initial state through the transition running now (read while its step does not return).</summary>
    public Decision[] DecisionsSoFar()
    {
        IReadOnlyList<SearchNode> path = stackNow ?? (nodeNow is null ? [] : PathOf(nodeNow));
        var all = new List<Decision>();
        for (int i = 1; i < path.Count; i++)
        {
            all.AddRange(path[i].Incoming);
        }

        all.AddRange(decisions.AsSpan());
        return all.ToArray();
    }

    /// <summary>A step of this search did not return: that is its bug, with the path to it; the search is not exhausted.</summary>
    internal void Abandon(Hang hang)
    {
        Bug = hang.Bug;
        BugDecisions = hang.Decisions;
        Exhausted = false;
        if (graph is not null)
        {
            CycleCheck = CycleCheck.Incomplete;
        }
    }

    internal void Run()
    {
        try
        {
            using ActorRuntime.Scope scope = runtime.Enter();
            if (breadthFirst)
            {
                BreadthFirst();
            }
            else
            {
                DepthFirst(StartsAtRoot);
            }
        }
        catch (OutOfMemoryException)
        {
            // Below the bound the machine ran out first: stop as the bound would, with the counts so far.
            MemoryBound = true;
            shared?.Stop();
        }
        finally
        {
            if (bodyRan)
            {
                iterationDispose?.Invoke();
            }

            SampleMemory();
            visited?.Dispose();
        }

        if (graph is not null)
        {
            if (Bug is null && Exhausted)
            {
                FindLasso();
            }
            else
            {
                // Stopped by a bug or the time limit: a state left half-expanded would make the actors
                // and choices it offers look fewer than they are, so no cycle is judged.
                CycleCheck = CycleCheck.Incomplete;
            }
        }
    }

    /// <summary>Puts the counts and the outcome into <paramref name="report"/>.</summary>
    internal void Fill(TestReport report, TimeSpan elapsed)
    {
        report.StateSpace = new StateSpaceReport
        {
            States = States,
            Transitions = Transitions,
            TerminalStates = TerminalStates,
            BoundCutStates = BoundCut,
            MaxDepth = MaxDepth,
            DepthBound = settings.MaxSteps,
            PartialOrderReduction = reduce,
            Workers = Workers,
            Handoffs = Handoffs,
            ReducedStates = ReducedStates,
            ReplayedSteps = ReplayedSteps,
            Cycles = CycleCheck,
            HotStates = graph?.HotStates ?? 0,
            HotTransitions = graph?.HotTransitions ?? 0,
            PeakMemoryBytes = PeakMemory,
            ProcessPeakBytes = ProcessPeak(),
            MemoryBound = MemoryBound,
            MaxMemoryBytes = maxMemory,
            StateBound = StateBound,
            MaxStates = maxStates,
            Store = config.StateStore,
            BitstateLog2Bits = config.BitstateLog2Bits,
            BitstateHashes = config.BitstateHashes,
            Elapsed = elapsed,
            Profile = profile?.Top(config.StateProfileFields) ?? [],
        };
        report.Iterations = 1;
        report.NumOfExploredUnfairPaths = 1;
        if (coverage is not null)
        {
            report.Coverage = CoverageReport.Build(coverage, iterations: 0);
        }

        report.TotalSteps = Transitions;
        report.TotalDecisions = Transitions;
        report.MaxSteps = MaxDepth;
        report.MinSteps = 0;
        report.TerminatedRuns = (int)Math.Min(TerminalStates, int.MaxValue);
        report.StepBoundHits = (int)Math.Min(BoundCut, int.MaxValue);
        report.HasLivenessMonitors = HasLivenessMonitors;
        report.Exhausted = Exhausted && Bug is null;
        report.TimedOut = TimedOut;
        report.Interrupted = StoppedOnRequest;
        if (Bug is not null)
        {
            report.Bug = Bug;
            report.BugIteration = 0;
            report.BugStrategy = Describe();
            report.BugReports.Add(Bug.Message);
        }
    }

    /// <summary>Builds a trace of the bug in the engine's format, replayable by <c>verify replay</c>.</summary>
    internal Trace BugTrace(string testName) => new()
    {
        Test = testName,
        Strategy = Describe(),
        Iteration = 0,
        MaxSteps = settings.MaxSteps,
        Fair = false,
        LivenessThreshold = settings.LivenessThreshold,
        FailOnMaxSteps = settings.FailOnMaxSteps,
        TimeoutDelay = settings.TimeoutDelay,
        AtomicSharedObjects = true,
        Bug = Bug!.Summary.ReplaceLineEndings(" "),
        Decisions = BugDecisions!,
        LoopStart = BugLoopStart,
    };

    private void DepthFirst(bool fromRoot)
    {
        var stack = new List<SearchNode>();
        stackNow = stack;
        if (fromRoot)
        {
            shared?.AwaitOthers();
            stack.Add(SearchNode.Root());
        }

        while (true)
        {
            if (stack.Count == 0)
            {
                // Alone, the search is over; in parallel, wait for transitions another worker gives away.
                if (shared?.Take() is not { } item)
                {
                    break;
                }

                Adopt(stack, item);
                continue;
            }

            if (shared is { Hungry: true })
            {
                Donate(stack);
            }

            SearchNode node = stack[^1];
            if (node.OpIndex >= node.Limit)
            {
                stack.RemoveAt(stack.Count - 1);
                donateFrom = Math.Min(donateFrom, stack.Count - 1);
                Release(node);
                if (at == node)
                {
                    at = null;
                }

                continue;
            }

            if (Transitions % CheckEvery == 0 && Interrupted())
            {
                return;
            }

            MoveTo(stack);
            Execute(node);
            if (runtime.Bug is not null)
            {
                Found(stack);
                return;
            }

            SearchNode? child = Arrive(node);
            if (runtime.Bug is not null)
            {
                Found(stack);
                return;
            }

            if (StateBound)
            {
                return;
            }

            if (child is not null)
            {
                stack.Add(child);
                at = child;
            }
        }

        Exhausted = shared is not { Stopped: true };
    }

    private void BreadthFirst()
    {
        var queue = new Queue<SearchNode>();
        SearchNode? next = SearchNode.Root();
        while (next is not null)
        {
            SearchNode node = next;
            List<SearchNode>? path = null;
            while (node.OpIndex < node.Limit)
            {
                if (Transitions % CheckEvery == 0 && Interrupted())
                {
                    return;
                }

                if (at != node)
                {
                    if (node.Snapshot is { IsRestorable: true } snapshot)
                    {
                        Restore(snapshot, node.Depth);
                        at = node;
                    }
                    else
                    {
                        MoveTo(path ??= PathOf(node));
                        if (node.OpCount > 1 && node.Snapshot is null)
                        {
                            // Rebuilt from the start: keep a copy while its transitions are tried.
                            Capture();
                            KeepSnapshot(node);
                        }
                    }
                }

                nodeNow = node;
                Execute(node);
                if (runtime.Bug is not null)
                {
                    Found(path ?? PathOf(node));
                    return;
                }

                SearchNode? child = Arrive(node);
                if (runtime.Bug is not null)
                {
                    Found(path ?? PathOf(node));
                    return;
                }

                if (StateBound)
                {
                    return;
                }

                if (child is not null)
                {
                    child.Parent = node;
                    queue.Enqueue(child);
                }
            }

            if (node.Snapshot is not null)
            {
                freeSnapshots.Push(node.Snapshot);
                node.Snapshot = null;
                snapshotsInUse--;
            }

            // Expanded: the node stays only as a link of its descendants' paths.
            node.DropOps();
            next = queue.Count > 0 ? queue.Dequeue() : null;
        }

        Exhausted = true;
    }

    /// <summary>Runs the next transition of <paramref name="node"/> (the runtime is in its state) and moves the node to the one after.</summary>
    private void Execute(SearchNode node)
    {
        int op = node.Ops[node.OpIndex];
        decisions.Clear();
        oracle.Reset(node.Answers);
        at = null;
        live = null;
        if (op == BodyOp)
        {
            RunBody();
            lastLocal = false;
        }
        else
        {
            Reduction.Footprint before = reduction.Before();
            runtime.RunStep(op, node.EnabledCount);
            lastLocal = reduction.WasLocal(before, op);
        }

        if (op != BodyOp)
        {
            Transitions++;
        }

        int[]? answers = NextAnswers();
        if (answers is null)
        {
            node.OpIndex++;
            node.Answers = null;
        }
        else
        {
            node.Answers = answers;
        }
    }

    /// <summary>
    /// Takes the state a transition from <paramref name="from"/> reached: checks it, records it, and
    /// returns a node to expand when it is new, has enabled operations and is within the bound.
    /// </summary>
    private SearchNode? Arrive(SearchNode from)
    {
        int depth = from.Depth + 1;
        UInt128 hash = Capture();
        Visit visit = shared is null ? visited!.Add(hash, depth, reopen: BoundCut > 0) : shared.Visited.Add(hash, depth, reopen: shared.BoundCut);
        int graphId = Record(from, hash, depth);
        if (from.Limit < from.OpCount && (visit != Visit.New || !lastLocal))
        {
            // The reduced step touched something shared, or closed a cycle (the proviso against
            // postponing the other actors forever): expand every enabled operation after all.
            from.Limit = from.OpCount;
            reduction.ReducedStates--;
        }

        if (visit == Visit.Seen)
        {
            return null;
        }

        if (visit == Visit.New)
        {
            if (maxStates > 0 && !WithinStateBound())
            {
                StateBound = true;
                shared?.Stop();
                return null;
            }

            States++;
            profile?.Sample(runtime);
        }
        else
        {
            Reopened++;
        }

        MaxDepth = Math.Max(MaxDepth, depth);
        if (!HasLivenessMonitors)
        {
            foreach (Specifications.Monitor m in runtime.Monitors)
            {
                HasLivenessMonitors |= m.Info.HasHotState;
            }
        }

        int n = runtime.CollectEnabled();
        if (n == 0)
        {
            TerminalStates += visit == Visit.New ? 1 : 0;
            runtime.Terminate();
            return null;
        }

        if (depth >= settings.MaxSteps)
        {
            BoundCut++;
            if (shared is not null)
            {
                shared.BoundCut = true;
            }

            runtime.ReachStepBound();
            return null;
        }

        SearchNode node = freeNodes.Count > 0 ? freeNodes.Pop() : new SearchNode();
        node.Reset(decisions.AsSpan(), depth, hash, n, graphId);
        reduction.Order(node, runtime.EnabledIds(n));
        SearchOrder.Shuffle(node.Ops[..node.Limit], config.SearchOrderSeed, hash);
        if (breadthFirst ? snapshotsInUse < snapshotBudget : depth % snapshotEvery == 0)
        {
            KeepSnapshot(node);
        }
        else if (!breadthFirst && node.Limit > 1)
        {
            TakeCursor(hash);
        }

        if (States % (CheckEvery * 4) == 0)
        {
            SampleMemory();
        }

        return node;
    }

    /// <summary>Whether one more new state stays within <see cref="Configuration.MaxStates"/>: this search's count alone, or the workers' together.</summary>
    private bool WithinStateBound() => shared is null ? States < maxStates : shared.CountState() <= maxStates;

    /// <summary>Copies the state just captured into the cursor, unless a window of mostly whole copies paused it.</summary>
    private void TakeCursor(UInt128 hash)
    {
        if (cursorPause > 0)
        {
            cursorPause--;
            return;
        }

        cursorWhole += cursor.Take(capture, runtime) ? 0 : 1;
        cursorHash = hash;
        cursorValid = true;
        if (++cursorTakes == CursorWindow)
        {
            cursorPause = cursorWhole * 4 > CursorWindow ? 16 * CursorWindow : 0;
            cursorTakes = 0;
            cursorWhole = 0;
        }
    }

    /// <summary>The next random answers for the operation just run, or null when it has no untried ones (as <see cref="DfsStrategy"/> does).</summary>
    private int[]? NextAnswers()
    {
        ReadOnlySpan<Decision> d = decisions.AsSpan();
        int first = d.Length > 0 && d[0].Kind == DecisionKind.Schedule ? 1 : 0;
        for (int i = d.Length - 1; i >= first; i--)
        {
            if (d[i].Value + 1 < d[i].Bound)
            {
                int[] next = new int[i - first + 1];
                for (int j = first; j < i; j++)
                {
                    next[j - first] = d[j].Value;
                }

                next[^1] = d[i].Value + 1;
                return next;
            }
        }

        return null;
    }

    private bool Interrupted()
    {
        if (clock.Elapsed > limit)
        {
            TimedOut = true;
            shared?.Stop();
            return true;
        }

        if (StopRequest.IsRequested)
        {
            StoppedOnRequest = true;
            shared?.Stop();
            return true;
        }

        if (maxMemory > 0)
        {
            long used = GC.GetTotalMemory(forceFullCollection: false) + (shared?.Visited.Bytes ?? visited!.Bytes);
            PeakMemory = Math.Max(PeakMemory, used);
            if (used > maxMemory)
            {
                MemoryBound = true;
                shared?.Stop();
                return true;
            }
        }

        return shared is { Stopped: true };
    }

    /// <summary>The process's peak resident set so far (VmHWM on Linux), or 0 where the system does not say.</summary>
    private static long ProcessPeak()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    /// <summary>The managed heap plus the visited states' table, which lives outside it.</summary>
    private void SampleMemory() =>
        PeakMemory = Math.Max(PeakMemory, GC.GetTotalMemory(forceFullCollection: false) + (shared?.Visited.Bytes ?? visited!.Bytes));
}
