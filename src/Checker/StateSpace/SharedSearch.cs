using System.Threading;
using Verify.Traces;

namespace Verify.StateSpace;

/// <summary>
/// Untried transitions handed from one worker of a parallel depth-first search to another: the
/// path to a state (each transition's decisions and the hash of the state it reached) and the
/// operations still to run there.
/// </summary>
internal sealed record WorkItem(Decision[][] Path, UInt128[] Hashes, int[] Ops, int EnabledCount);

/// <summary>
/// What the workers of a parallel depth-first search share: the visited set, a pool of untried
/// transitions, and the first bug. A worker whose stack is empty waits in <see cref="Take"/>; a
/// busy worker that sees one waiting gives away the untried transitions nearest its root, where
/// the subtrees are largest. The search is over when every worker waits and the pool is empty.
/// </summary>
internal sealed class SharedSearch(int workers, IVisitedStore visited)
{
    private readonly object gate = new();
    private readonly Queue<WorkItem> pool = new();
    private int waiting;
    private volatile bool hungry;
    private volatile bool stopped;
    private volatile bool boundCut;
    private long states;

    internal IVisitedStore Visited { get; } = visited;

    /// <summary>Some worker waits for work and none is pooled.</summary>
    internal bool Hungry => hungry;

    /// <summary>A bug, an error or the time limit ended the search.</summary>
    internal bool Stopped => stopped;

    /// <summary>Some worker's depth bound cut a state: shallower revisits must be explored again.</summary>
    internal bool BoundCut
    {
        get => boundCut;
        set => boundCut = value;
    }

    /// <summary>Counts one more new state found by any worker and returns the count (for the state bound).</summary>
    internal long CountState() => Interlocked.Increment(ref states);

    /// <summary>Work items given away so far.</summary>
    internal int Handoffs { get; private set; }

    /// <summary>The worker whose bug is reported: the first to find one.</summary>
    internal StatefulSearch? Finder { get; private set; }

    /// <summary>Waits for work; null once every worker waits with nothing pooled, or the search stopped.</summary>
    internal WorkItem? Take()
    {
        lock (gate)
        {
            waiting++;
            hungry = pool.Count == 0;
            Monitor.PulseAll(gate);
            while (pool.Count == 0 && waiting < workers && !stopped)
            {
                Monitor.Wait(gate);
            }

            if (pool.Count > 0 && !stopped)
            {
                waiting--;
                WorkItem item = pool.Dequeue();
                hungry = pool.Count == 0 && waiting > 0;
                return item;
            }

            hungry = false;
            Monitor.PulseAll(gate);
            return null;
        }
    }

    /// <summary>Makes the worker that starts from the initial state wait until the others wait for work, so it gives some away from the start.</summary>
    internal void AwaitOthers()
    {
        lock (gate)
        {
            while (waiting < workers - 1 && !stopped)
            {
                Monitor.Wait(gate);
            }
        }
    }

    internal void Give(WorkItem item)
    {
        lock (gate)
        {
            Handoffs++;
            pool.Enqueue(item);
            hungry = false;
            Monitor.Pulse(gate);
        }
    }

    /// <summary>Records <paramref name="finder"/> as the worker with the bug unless another was first, and stops the search.</summary>
    internal void Claim(StatefulSearch finder)
    {
        lock (gate)
        {
            Finder ??= finder;
            Stop();
        }
    }

    internal void Stop()
    {
        lock (gate)
        {
            stopped = true;
            hungry = false;
            Monitor.PulseAll(gate);
        }
    }
}

/// <summary>A store split by the hash's top bits into segments, each behind its own lock.</summary>
internal sealed class SegmentedVisitedSet(Func<IVisitedStore> segment) : IVisitedStore
{
    private const int Bits = 6;
    private readonly IVisitedStore[] segments = Enumerable.Range(0, 1 << Bits).Select(_ => segment()).ToArray();

    /// <summary>Bytes the segments' tables hold (read without their locks: a sample for memory reports).</summary>
    public long Bytes => segments.Sum(s => s.Bytes);

    public long Count => segments.Sum(s => s.Count);

    public bool KeepsDepths => segments[0].KeepsDepths;

    public void Dispose()
    {
        foreach (IVisitedStore s in segments)
        {
            lock (s)
            {
                s.Dispose();
            }
        }
    }

    public Visit Add(UInt128 hash, int depth, bool reopen)
    {
        IVisitedStore s = segments[(int)(hash >> (128 - Bits))];
        lock (s)
        {
            return s.Add(hash, depth, reopen);
        }
    }
}
