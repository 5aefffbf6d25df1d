using Verify.Traces;

namespace Verify.StateSpace;

/// <summary>A state to expand, with the transitions left to try from it. Depth-first recycles nodes.</summary>
internal sealed class SearchNode
{
    private Decision[] incoming = [];
    private int incomingCount;

    /// <summary>The node this one was reached from (breadth-first only; depth-first keeps its path on the stack).</summary>
    internal SearchNode? Parent { get; set; }

    /// <summary>The decisions of the transition that led here: a schedule and random answers, or the test body's answers.</summary>
    internal ReadOnlySpan<Decision> Incoming => incoming.AsSpan(0, incomingCount);

    /// <summary>Steps from the initial state; -1 for the root, before the test body ran.</summary>
    internal int Depth { get; set; }

    internal UInt128 Hash { get; set; }

    /// <summary>The state's id in the <see cref="LivenessGraph"/>, or -1 when no graph is kept.</summary>
    internal int GraphId { get; set; } = -1;

    internal Snapshot? Snapshot { get; set; }

    /// <summary>Actor ids to run from here (<see cref="StatefulSearch.BodyOp"/> at the root), the first <see cref="OpCount"/> of them; emptied once expanded breadth-first.</summary>
    internal int[] Ops { get; set; } = [];

    internal int OpCount { get; set; }

    /// <summary>Enabled operations here: the trace's schedule bound.</summary>
    internal int EnabledCount { get; set; }

    /// <summary>Ops[0..Limit) are explored; 1 while reduction keeps to one actor.</summary>
    internal int Limit { get; set; }

    internal int OpIndex { get; set; }

    /// <summary>The next random answers for Ops[OpIndex]; null to start with none.</summary>
    internal int[]? Answers { get; set; }

    internal static SearchNode Root() => new() { Depth = -1, Ops = [StatefulSearch.BodyOp], OpCount = 1, Limit = 1, EnabledCount = 1 };

    internal void Reset(ReadOnlySpan<Decision> decisions, int depth, UInt128 hash, int enabled, int graphId)
    {
        GraphId = graphId;
        if (incoming.Length < decisions.Length)
        {
            incoming = new Decision[decisions.Length];
        }

        decisions.CopyTo(incoming);
        incomingCount = decisions.Length;
        Depth = depth;
        Hash = hash;
        EnabledCount = enabled;
        if (Ops.Length < enabled)
        {
            Ops = new int[Math.Max(4, enabled)];
        }

        OpCount = enabled;
        OpIndex = 0;
        Answers = null;
        Parent = null;
    }
}
