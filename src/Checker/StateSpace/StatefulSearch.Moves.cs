using Verify.Runtime;
using Verify.Strategies;
using Verify.SystematicTesting;
using Verify.Traces;

namespace Verify.StateSpace;

/// <summary>Moving the runtime between states: snapshots, a fresh start, re-executing recorded steps.</summary>
internal sealed partial class StatefulSearch
{
    /// <summary>Brings the runtime to the state of <paramref name="path"/>'s last node (path[0] is the root before the test body).</summary>
    private void MoveTo(IReadOnlyList<SearchNode> path)
    {
        SearchNode target = path[^1];
        if (at == target)
        {
            return;
        }

        if (cursorValid && cursorHash == target.Hash && cursor.IsRestorable)
        {
            Restore(cursor, target.Depth);
            at = target;
            return;
        }

        int k = path.Count - 1;
        bool spent = false;
        while (k > 0 && path[k].Snapshot is not { IsRestorable: true })
        {
            spent |= path[k].Snapshot is not null;
            k--;
        }

        if (k == 0)
        {
            Fresh();
        }
        else
        {
            Restore(path[k].Snapshot!, path[k].Depth);
        }

        for (int i = k + 1; i < path.Count; i++)
        {
            Replay(path[i]);
        }

        if (spent && Capture() != target.Hash)
        {
            throw NotDeterministic($"re-executing the {target.Depth} steps to a state reached before gave a different state");
        }

        at = target;
    }

    /// <summary>Hashes the runtime's state and remembers its root boundaries for the next restore.</summary>
    private UInt128 Capture()
    {
        UInt128 hash = capture.Capture(runtime);
        live = capture.Layout;
        return hash;
    }

    private void Restore(Snapshot snapshot, int depth)
    {
        snapshot.Restore(runtime, depth, live);
        live = snapshot.Layout;
    }

    private void Fresh()
    {
        if (bodyRan)
        {
            iterationDispose?.Invoke();
        }

        runtime.Reset();
        live = null;
    }

    private void RunBody()
    {
        bodyRan = true;
        runtime.RunBody(test);
    }

    private void Replay(SearchNode node)
    {
        ReadOnlySpan<Decision> d = node.Incoming;
        bool step = d.Length > 0 && d[0].Kind == DecisionKind.Schedule;
        int first = step ? 1 : 0;
        int[] answers = d.Length == first ? [] : new int[d.Length - first];
        for (int i = first; i < d.Length; i++)
        {
            answers[i - first] = d[i].Value;
        }

        decisions.Clear();
        oracle.Reset(answers);
        live = null;
        runtime.Coverage = null;
        try
        {
            if (step)
            {
                runtime.RunStep(d[0].Value, d[0].Bound);
            }
            else
            {
                RunBody();
            }
        }
        finally
        {
            runtime.Coverage = coverage;
        }

        ReplayedSteps++;
        if (runtime.Bug is not null)
        {
            throw NotDeterministic($"re-executing the steps to a state reached before found a bug ({runtime.Bug.Summary}) that the first execution did not");
        }
    }

    private void Found(IReadOnlyList<SearchNode> path)
    {
        Bug = runtime.Bug;
        var all = new List<Decision>();
        for (int i = 1; i < path.Count; i++)
        {
            all.AddRange(path[i].Incoming);
        }

        all.AddRange(decisions.AsSpan());
        BugDecisions = all.ToArray();
        runtime.Fail();
        shared?.Claim(this);
    }

    /// <summary>The error for a model whose re-execution did not give what its first execution gave.</summary>
    private static NondeterministicModelException NotDeterministic(string what) => new(
        $"The model is not deterministic: {what}. "
        + "Models must take every choice from the engine and keep their state in actors, monitors and the objects they reach (no statics).");

    /// <summary>Keeps a copy of the state the runtime is in (just captured) for <paramref name="node"/>.</summary>
    private void KeepSnapshot(SearchNode node)
    {
        node.Snapshot = freeSnapshots.Count > 0 ? freeSnapshots.Pop() : new Snapshot(cursor.Entries);
        node.Snapshot.Take(capture, runtime);
        snapshotsInUse++;
    }

    /// <summary>Returns a popped depth-first node and its snapshot to the pools.</summary>
    private void Release(SearchNode node)
    {
        if (node.Snapshot is not null)
        {
            freeSnapshots.Push(node.Snapshot);
            node.Snapshot = null;
            snapshotsInUse--;
        }

        if (node.Depth >= 0)
        {
            freeNodes.Push(node);
        }
    }

    private static List<SearchNode> PathOf(SearchNode node)
    {
        var path = new List<SearchNode>();
        for (SearchNode? n = node; n is not null; n = n.Parent)
        {
            path.Add(n);
        }

        path.Reverse();
        return path;
    }
}
