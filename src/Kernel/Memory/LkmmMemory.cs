using System.Diagnostics;
using Verify.Actors;

namespace Verify.Kernel.Memory;

/// <summary>
/// An operational approximation of the Linux-kernel memory model, in the style of view-based
/// semantics for C11 (Kang et al., "A Promising Semantics for Relaxed-Memory Concurrency", POPL
/// 2017, without promises). Each location keeps its stores in coherence order; each CPU keeps
/// views (<see cref="LkmmCpu"/>). A load returns any store at or after the CPU's view of that
/// location; a store takes any free place after it, so two CPUs may disagree with program order
/// on which store to a location is last (2+2W). Release stores carry the storing CPU's view,
/// acquire loads and fences take views in, and smp_mb() also meets a global view that every
/// smp_mb() joins and leaves (a total order of strong fences, which forbids SB and IRIW). Which
/// store a load reads and where a store goes are recorded choices. See README.md for the
/// differences from the LKMM.
/// </summary>
internal sealed class LkmmMemory(IActorRuntime runtime, int cpus, int staleStores) : SharedMemory(runtime, cpus)
{
    private readonly int staleStores = staleStores;

    // Per location, its stores in coherence order; index 0 is the initial value.
    private readonly List<List<LkmmMessage>> history = [];

    // Allocated at the first access, once the number of locations is known.
    private LkmmCpu[]? views;
    private int[] strong = [];

    public override MemoryMode Mode => MemoryMode.Lkmm;

    public override int ValueOf(Location x) => history[x.Index][^1].Value;

    private protected override void Declared(Location x)
    {
        if (views is not null)
        {
            throw new InvalidOperationException($"Location {x} was declared after the first access. Declare every location at boot, before any CPU runs.");
        }

        history.Add([new LkmmMessage(x.Initial, null, rmw: false)]);
    }

    private protected override int Load(int cpu, Location x, LoadOrder order, Dependency after, out Dependency dep)
    {
        LkmmCpu c = Views(cpu);
        List<LkmmMessage> h = history[x.Index];
        int lo = Math.Max(c.Cur[x.Index], DependencyBound(after, x));
        int i = lo + Choose(h.Count - lo);
        LkmmMessage m = h[i];
        c.Cur[x.Index] = i;
        Join(order == LoadOrder.Acquire ? c.Cur : c.Acq, m.View);
        if (h.Count - lo > 1)
        {
            Logger.WriteLine($"cpu{cpu} load {x} = {m.Value}: store #{i} of {x}, its view allows #{lo}..#{h.Count - 1}");
        }

        dep = new Dependency(m, x.Index);
        Collect();
        return m.Value;
    }

    private protected override void Store(int cpu, Location x, int value, StoreOrder order)
    {
        LkmmCpu c = Views(cpu);
        List<LkmmMessage> h = history[x.Index];
        Span<int> places = stackalloc int[h.Count + 1];
        int n = 0;
        for (int p = c.Cur[x.Index] + 1; p <= h.Count; p++)
        {
            // A place just before a read-modify-write's store would split it from the store it read.
            if (p == h.Count || !h[p].Rmw)
            {
                places[n++] = p;
            }
        }

        int at = places[Choose(n)];
        if (n > 1)
        {
            Logger.WriteLine($"cpu{cpu} store {x} = {value} takes place #{at} of {h.Count + 1} in {x}'s coherence order");
        }

        Insert(c, x, at, value, order == StoreOrder.Release ? c.Cur : c.Rel, null, rmw: false);
        Collect();
    }

    // smp_rmb() and smp_wmb() change only this CPU's views, and a join commutes with the shift
    // another CPU's store applies to every view (both are monotone), so they are not shared.
    private protected override bool Fence(int cpu, FenceKind kind)
    {
        bool shared = Fence(Views(cpu), kind);
        Collect();
        return shared;
    }

    private bool Fence(LkmmCpu c, FenceKind kind)
    {
        switch (kind)
        {
            case FenceKind.Rmb:
                Join(c.Cur, c.Acq);
                return false;
            case FenceKind.Wmb:
                Join(c.Rel, c.Own);
                return false;
            default:
                Join(c.Cur, c.Acq);
                Join(c.Cur, strong);
                c.Cur.CopyTo(strong, 0);
                c.Cur.CopyTo(c.Rel, 0);
                return true;
        }
    }

    private protected override int Rmw(int cpu, Location x, Func<int, int?> update, RmwOrder order)
    {
        LkmmCpu c = Views(cpu);
        List<LkmmMessage> h = history[x.Index];
        int lo = c.Cur[x.Index];

        // A fully ordered store is preceded by smp_mb(), which may raise the view; a failed cmpxchg is
        // a plain load (atomic_t.txt: "a failed RMW operation is not ordered"), so its candidates start lower.
        bool full = order == RmwOrder.Full;
        int storeLo = full ? Math.Max(lo, Math.Max(c.Acq[x.Index], strong[x.Index])) : lo;
        Span<int> reads = stackalloc int[h.Count];
        Span<bool> stores = stackalloc bool[h.Count];
        int n = 0;
        for (int i = lo; i < h.Count; i++)
        {
            bool success = update(h[i].Value) is not null;
            if (!success || (i >= storeLo && (i == h.Count - 1 || !h[i + 1].Rmw)))
            {
                reads[n] = i;
                stores[n++] = success;
            }
        }

        Debug.Assert(n > 0, "the last store in coherence order can always be read");
        int k = Choose(n);
        int read = reads[k];
        LkmmMessage m = h[read];
        if (n > 1)
        {
            Logger.WriteLine($"cpu{cpu} atomic on {x} reads {m.Value}: store #{read} of {x}, its view allows #{lo}..#{h.Count - 1}");
        }

        if (!stores[k])
        {
            c.Cur[x.Index] = read;
            Join(c.Acq, m.View);
            Collect();
            return m.Value;
        }

        if (full)
        {
            Fence(c, FenceKind.Mb);
        }

        Join(order == RmwOrder.Acquire ? c.Cur : c.Acq, m.View);
        Insert(c, x, read + 1, update(m.Value)!.Value, full || order == RmwOrder.Release ? c.Cur : c.Rel, m.View, rmw: true);
        if (full)
        {
            Fence(c, FenceKind.Mb);
        }

        Collect();
        return m.Value;
    }

    /// <summary>
    /// Puts a store of <paramref name="c"/> at place <paramref name="at"/> of <paramref name="x"/>'s
    /// coherence order, carrying <paramref name="carried"/> (taken after the shift) joined with
    /// <paramref name="also"/> (the view of the store an RMW read: release sequences continue through RMWs).
    /// </summary>
    private void Insert(LkmmCpu c, Location x, int at, int value, int[] carried, int[]? also, bool rmw)
    {
        Shift(x.Index, at);
        c.Cur[x.Index] = at;
        c.Own[x.Index] = at;
        int[]? view = null;
        if (!IsZero(carried) || also is not null)
        {
            view = (int[])carried.Clone();
            Join(view, also);
        }

        List<LkmmMessage> h = history[x.Index];
        h.Insert(at, new LkmmMessage(value, view, rmw));

        // Bounded staleness: every CPU has at least seen the store staleStores before the newest.
        int oldest = h.Count - 1 - staleStores;
        if (oldest > 0)
        {
            foreach (LkmmCpu other in views!)
            {
                other.Cur[x.Index] = Math.Max(other.Cur[x.Index], oldest);
            }
        }
    }

    /// <summary>Moves up every view's position for location <paramref name="xi"/> at or after <paramref name="at"/>: a store is going in there.</summary>
    private void Shift(int xi, int at)
    {
        foreach (LkmmCpu c in views!)
        {
            foreach (int[] v in c.Views)
            {
                ShiftOne(v, xi, at);
            }
        }

        ShiftOne(strong, xi, at);
        foreach (List<LkmmMessage> h in history)
        {
            foreach (LkmmMessage m in h)
            {
                if (m.View is not null)
                {
                    ShiftOne(m.View, xi, at);
                }
            }
        }
    }

    /// <summary>
    /// Drops the stores no CPU can read any more: those older, in every location, than every CPU's
    /// view (loads and stores only go forward from it), and numbers the rest from 0. Without it a
    /// flag written again and again would make every write a new state; with it a state is what
    /// the CPUs can still observe. A dependency on a dropped store no longer bounds a load (see README.md).
    /// </summary>
    private void Collect()
    {
        for (int xi = 0; xi < history.Count; xi++)
        {
            int k = int.MaxValue;
            foreach (LkmmCpu c in views!)
            {
                k = Math.Min(k, c.Cur[xi]);
            }

            if (k == 0)
            {
                continue;
            }

            history[xi].RemoveRange(0, k);
            foreach (LkmmCpu c in views)
            {
                foreach (int[] v in c.Views)
                {
                    Renumber(v, xi, k);
                }
            }

            Renumber(strong, xi, k);
            foreach (List<LkmmMessage> h in history)
            {
                foreach (LkmmMessage m in h)
                {
                    if (m.View is not null)
                    {
                        Renumber(m.View, xi, k);
                        m.View = IsZero(m.View) ? null : m.View;
                    }
                }
            }
        }
    }

    private static void Renumber(int[] view, int xi, int dropped) => view[xi] = Math.Max(view[xi] - dropped, 0);

    /// <summary>Where a load through <paramref name="dep"/>'s pointer starts in <paramref name="x"/>: the publishing store's view, while that store is kept.</summary>
    private int DependencyBound(Dependency dep, Location x) =>
        dep.Message is { View: int[] view } m && history[dep.Location].Contains(m) ? view[x.Index] : 0;

    private static void ShiftOne(int[] view, int xi, int at)
    {
        if (view[xi] >= at)
        {
            view[xi]++;
        }
    }

    private static void Join(int[] into, int[]? other)
    {
        if (other is null)
        {
            return;
        }

        for (int i = 0; i < into.Length; i++)
        {
            into[i] = Math.Max(into[i], other[i]);
        }
    }

    private static bool IsZero(int[] view)
    {
        foreach (int p in view)
        {
            if (p != 0)
            {
                return false;
            }
        }

        return true;
    }

    private LkmmCpu Views(int cpu)
    {
        CheckCpu(cpu);
        if (views is null)
        {
            views = new LkmmCpu[Cpus];
            for (int i = 0; i < Cpus; i++)
            {
                views[i] = new LkmmCpu(history.Count);
            }

            strong = new int[history.Count];
        }

        return views[cpu];
    }
}
