using System.Runtime.CompilerServices;
using Verify.Traces;

namespace Verify.StateSpace;

/// <summary>A state to expand, with the transitions left to try from it. Depth-first recycles nodes.</summary>
internal sealed class SearchNode
{
    private const int InlineOps = 4;

    // A depth-first stack holds a node per level (hundreds of thousands of them), so the usual
    // contents live inside the node: the one schedule decision a step takes, and up to four
    // operations. Longer ones go to arrays.
    private Decision single;
    private Decision[] incoming = [];
    private int incomingCount;
    private OpBlock inlineOps;
    private int[]? moreOps;

    /// <summary>The node this one was reached from (breadth-first only; depth-first keeps its path on the stack).</summary>
    internal SearchNode? Parent { get; set; }

    /// <summary>The decisions of the transition that led here: a schedule and random answers, or the test body's answers.</summary>
    internal ReadOnlySpan<Decision> Incoming => incomingCount == 1 ? new ReadOnlySpan<Decision>(in single) : incoming.AsSpan(0, incomingCount);

    /// <summary>Steps from the initial state; -1 for the root, before the test body ran.</summary>
    internal int Depth { get; set; }

    internal UInt128 Hash { get; set; }

    /// <summary>The state's id in the <see cref="LivenessGraph"/>, or -1 when no graph is kept.</summary>
    internal int GraphId { get; set; } = -1;

    internal Snapshot? Snapshot { get; set; }

    /// <summary>Actor ids to run from here (<see cref="StatefulSearch.BodyOp"/> at the root), the first <see cref="OpCount"/> of them.</summary>
    internal Span<int> Ops => moreOps ?? (Span<int>)inlineOps;

    internal int OpCount { get; set; }

    /// <summary>Enabled operations here: the trace's schedule bound.</summary>
    internal int EnabledCount { get; set; }

    /// <summary>Ops[0..Limit) are explored; 1 while reduction keeps to one actor.</summary>
    internal int Limit { get; set; }

    internal int OpIndex { get; set; }

    /// <summary>The next random answers for Ops[OpIndex]; null to start with none.</summary>
    internal int[]? Answers { get; set; }

    internal static SearchNode Root()
    {
        var root = new SearchNode { Depth = -1, OpCount = 1, Limit = 1, EnabledCount = 1 };
        root.Ops[0] = StatefulSearch.BodyOp;
        return root;
    }

    /// <summary>Makes <paramref name="ops"/> the operations to run from here, all of them explored.</summary>
    internal void SetOps(ReadOnlySpan<int> ops)
    {
        moreOps = ops.Length > InlineOps ? new int[ops.Length] : null;
        ops.CopyTo(Ops);
        OpCount = Limit = ops.Length;
    }

    /// <summary>Forgets the operations of a node expanded breadth-first (it stays only as a link of its descendants' paths).</summary>
    internal void DropOps()
    {
        moreOps = null;
        OpCount = 0;
        Answers = null;
    }

    internal void Reset(ReadOnlySpan<Decision> decisions, int depth, UInt128 hash, int enabled, int graphId)
    {
        GraphId = graphId;
        if (decisions.Length == 1)
        {
            single = decisions[0];
        }
        else
        {
            if (incoming.Length < decisions.Length)
            {
                incoming = new Decision[decisions.Length];
            }

            decisions.CopyTo(incoming);
        }

        incomingCount = decisions.Length;
        Depth = depth;
        Hash = hash;
        EnabledCount = enabled;
        if (enabled > InlineOps && (moreOps is null || moreOps.Length < enabled))
        {
            moreOps = new int[enabled];
        }
        else if (enabled <= InlineOps)
        {
            moreOps = null;
        }

        OpCount = enabled;
        OpIndex = 0;
        Answers = null;
        Parent = null;
    }

    [InlineArray(InlineOps)]
    private struct OpBlock
    {
        private int first;
    }
}
