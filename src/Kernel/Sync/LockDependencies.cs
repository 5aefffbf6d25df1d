using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Sync;

/// <summary>
/// lockdep's lock-order check (check_prevs_add(), check_noncircular()): every blocking acquisition
/// of a lock of class B by a task holding locks of classes A1..An records the dependencies Ai -> B
/// in a graph that lives as long as the run (lockdep never forgets a dependency). Before an edge
/// A -> B is added, if B already reaches A the new edge closes a cycle, and the acquisition is
/// reported as "possible circular locking dependency" with the existing chain B -> ... -> A. The
/// order alone is the bug: the schedule that deadlocks need not be the one that ran.
/// <para>
/// The graph is part of the machine's state (<see cref="KernelState.lockdep"/>, made on the first
/// dependency): two states that differ only in the dependencies seen so far are different states
/// to a stateful search, since one may report an acquisition the other does not. It is kept
/// compact, a sorted list of class-name pairs.
/// </para>
/// <para>
/// As lockdep does, a trylock adds no dependency towards the lock it takes (validate_chain() skips
/// trylock acquisitions: a trylock cannot wait, so it cannot close a deadlock cycle), but the lock
/// it took is held, and a blocking acquisition made while holding it records the trylocked class
/// as a predecessor. Nesting two locks of one class is the recursive-locking check's business (and
/// the kernel's _nested annotations), so same-class pairs are not recorded. Acquisitions inside a
/// hard interrupt are not recorded: lockdep keeps the interrupted context's held locks out of the
/// handler's chain, and the substrate does not mark which held locks the handler took (no modelled
/// handler takes a lock today).
/// </para>
/// <para>
/// The graph also carries lockdep's hard-interrupt usage of each class (<see cref="MarkUsage"/>):
/// a class taken in a hard interrupt and elsewhere with interrupts enabled is reported as an
/// inconsistent lock state. Softirq usage is not tracked (no modelled softirq takes a lock).
/// </para>
/// </summary>
public sealed class LockDependencies
{
    /// <summary>The edges, sorted by (prev, next) in ordinal order.</summary>
    public List<LockDependency> edges { get => Access.Shared(field); } = [];

    /// <summary>The machine's dependency graph, created by its first dependency.</summary>
    public static LockDependencies Of(KernelState k) => k.lockdep ??= new LockDependencies();

    /// <summary>Whether the graph has the edge <paramref name="prev"/> -> <paramref name="next"/>.</summary>
    public bool Contains(string prev, string next) => edges.BinarySearch(new LockDependency(prev, next), Order) >= 0;

    /// <summary>
    /// The shortest chain of classes from <paramref name="from"/> to <paramref name="to"/> in the
    /// graph (both ends included), or null if <paramref name="to"/> is not reachable.
    /// </summary>
    public List<string>? Chain(string from, string to)
    {
        if (from == to)
        {
            return [from];
        }

        var parent = new Dictionary<string, string> { [from] = from };
        var queue = new Queue<string>();
        queue.Enqueue(from);
        while (queue.Count > 0)
        {
            string c = queue.Dequeue();
            foreach (LockDependency e in Successors(c))
            {
                if (parent.ContainsKey(e.next))
                {
                    continue;
                }

                parent[e.next] = c;
                if (e.next == to)
                {
                    var chain = new List<string> { to };
                    for (string p = c; p != from; p = parent[p])
                    {
                        chain.Add(p);
                    }

                    chain.Add(from);
                    chain.Reverse();
                    return chain;
                }

                queue.Enqueue(e.next);
            }
        }

        return null;
    }

    /// <summary>
    /// lock_acquire() of a blocking acquisition of <paramref name="l"/> by <paramref name="t"/>:
    /// checks and records a dependency from each held lock's class (innermost first, as lockdep
    /// walks held_locks) to <paramref name="l"/>'s class.
    /// </summary>
    internal static void CheckPrevsAdd(KernelState k, TaskStruct t, KernelLock l)
    {
        if (!k.config.ProveLocking || t.held_locks.Count == 0 || (t.cpu >= 0 && k.cpus[t.cpu].hardirq > 0) || k.lockdep is { disabled: true })
        {
            return;
        }

        string next = l.lock_class.Name;
        for (int i = t.held_locks.Count - 1; i >= 0; i--)
        {
            KernelLock held = t.held_locks[i];
            string prev = held.lock_class.Name;
            if (prev == next)
            {
                continue;
            }

            LockDependencies graph = Of(k);
            if (graph.Contains(prev, next))
            {
                continue;
            }

            // check_noncircular(): the new edge prev -> next closes a cycle if next already reaches prev.
            List<string>? chain = graph.Chain(next, prev);
            if (chain is not null)
            {
                Lifetime.DebugReports.Check(k, false, Lifetime.DebugFacility.Lockdep,
                    "WARNING: possible circular locking dependency detected: {0} is trying to acquire {1} ({2}) while holding {3} ({4}); the existing dependency chain is {5}, so {4} -> {2} closes a cycle.",
                    t.comm, l.name, next, held.name, prev, string.Join(" -> ", chain));

                // Observed, the run goes on; lockdep turns its graph off after its first splat
                // (debug_locks_off()), so the cycle's edge is not recorded and no later acquisition is checked.
                graph.disabled = true;
                return;
            }

            graph.Add(new LockDependency(prev, next));
        }
    }

    /// <summary>Classes taken in hard interrupt context (lockdep's LOCK_USED_IN_HARDIRQ), sorted.</summary>
    public List<string> in_hardirq { get => Access.Shared(field); } = [];

    /// <summary>Classes taken outside hard interrupts with interrupts enabled (LOCK_ENABLED_HARDIRQ), sorted.</summary>
    public List<string> hardirq_on { get => Access.Shared(field); } = [];

    /// <summary>
    /// mark_usage() for hard interrupts: an acquisition in a hard interrupt marks its class
    /// IN-HARDIRQ, one with interrupts enabled outside hard interrupts marks it HARDIRQ-ON, and a
    /// class marked both is "inconsistent lock state": the interrupt may arrive while the lock is
    /// held with interrupts on, and its handler spins on the lock forever. Called once the
    /// acquisition has set the interrupt state it holds the lock with (spin_lock_irq() is IRQ-safe);
    /// trylocks count, as lockdep counts them. Housekeeping kthreads have no modelled CPU and are skipped.
    /// </summary>
    internal static void MarkUsage(KernelState k, TaskStruct t, KernelLock l)
    {
        if (!k.config.ProveLocking || t.cpu < 0 || k.lockdep is { disabled: true })
        {
            return;
        }

        CpuState c = k.cpus[t.cpu];
        string cls = l.lock_class.Name;
        bool inHardirq = c.hardirq > 0;
        if (!inHardirq && c.irqs_disabled)
        {
            return;
        }

        if (k.lockdep is { } known && (inHardirq ? known.hardirq_on : known.in_hardirq).BinarySearch(cls, StringComparer.Ordinal) >= 0)
        {
            Lifetime.DebugReports.Check(k, false, Lifetime.DebugFacility.Lockdep,
                inHardirq
                    ? "WARNING: inconsistent lock state: inconsistent {{HARDIRQ-ON-W}} -> {{IN-HARDIRQ-W}} usage: {0} takes {1} ({2}) in hard interrupt context on cpu{3}, and {2} was taken with interrupts enabled."
                    : "WARNING: inconsistent lock state: inconsistent {{IN-HARDIRQ-W}} -> {{HARDIRQ-ON-W}} usage: {0} takes {1} ({2}) with interrupts enabled on cpu{3}, and {2} was taken in hard interrupt context.",
                t.comm, l.name, cls, c.cpu);
            known.disabled = true;
            return;
        }

        List<string> marks = inHardirq ? Of(k).in_hardirq : Of(k).hardirq_on;
        int at = marks.BinarySearch(cls, StringComparer.Ordinal);
        if (at < 0)
        {
            marks.Insert(~at, cls);
        }
    }

    /// <summary>debug_locks_off(): set by the first report of either check; no later acquisition is checked.</summary>
    public bool disabled { get => Access.Shared(field); set => field = Access.Shared(value); }

    private void Add(LockDependency e)
    {
        int at = edges.BinarySearch(e, Order);
        if (at < 0)
        {
            edges.Insert(~at, e);
        }
    }

    private IEnumerable<LockDependency> Successors(string c)
    {
        int at = edges.BinarySearch(new LockDependency(c, string.Empty), Order);
        for (int i = at < 0 ? ~at : at; i < edges.Count && edges[i].prev == c; i++)
        {
            yield return edges[i];
        }
    }

    private static readonly Comparer<LockDependency> Order = Comparer<LockDependency>.Create(static (x, y) =>
    {
        int c = string.CompareOrdinal(x.prev, y.prev);
        return c != 0 ? c : string.CompareOrdinal(x.next, y.next);
    });
}
