namespace Verify.StateSpace;

/// <summary>How a state hash was received by the <see cref="VisitedSet"/>.</summary>
internal enum Visit : byte
{
    /// <summary>Never seen: explore it.</summary>
    New,

    /// <summary>Seen before, but deeper than now while the depth bound has cut the search: explore it again.</summary>
    Shallower,

    /// <summary>Seen before: prune.</summary>
    Seen,
}

/// <summary>
/// The hashes of visited states with the least depth each was reached at, in an open-addressing
/// table with linear probing. A slot is 16 bytes and holds 96 bits of the state's 128-bit hash and
/// its depth, so a probe and an insert touch one cache line. Storing hashes instead of states is
/// hash compaction: two of n states collide with probability about n^2 / 2^97 (below 10^-16 for
/// ten million states). The table lives outside the garbage-collected heap (<see cref="NativeTable"/>).
/// </summary>
internal sealed unsafe class VisitedSet : IVisitedStore
{
    private const int InitialSize = 1 << 12;

    private Slot* slots;
    private int size;
    private int mask;

    internal VisitedSet()
    {
        slots = Allocate(InitialSize);
        size = InitialSize;
        mask = InitialSize - 1;
    }

    ~VisitedSet() => Free();

    public long Count { get; private set; }

    /// <summary>Bytes the table holds (outside the managed heap, so memory reports add them).</summary>
    public long Bytes => (long)size * sizeof(Slot);

    public bool KeepsDepths => true;

    /// <summary>Adds a state reached at <paramref name="depth"/>; with <paramref name="reopen"/> a shallower revisit counts as new (SPIN's -DREACH).</summary>
    public Visit Add(UInt128 hash, int depth, bool reopen)
    {
        ObjectDisposedException.ThrowIf(slots == null, this);
        ulong lo = (ulong)hash;
        ulong hi = (ulong)(hash >> 64) & 0xFFFFFFFF00000000UL;
        if (lo == 0 && hi == 0)
        {
            lo = 1; // (0, 0) marks an empty slot
        }

        Slot* table = slots;
        int i = (int)lo & mask;
        while (true)
        {
            Slot* s = table + i;
            if (s->Lo == lo && (s->Hi & 0xFFFFFFFF00000000UL) == hi)
            {
                if (reopen && depth < (int)(uint)s->Hi)
                {
                    s->Hi = hi | (uint)depth;
                    return Visit.Shallower;
                }

                return Visit.Seen;
            }

            if (s->Lo == 0 && s->Hi == 0)
            {
                s->Lo = lo;
                s->Hi = hi | (uint)depth;
                if (++Count * 10 > (long)size * 7)
                {
                    Grow();
                }

                return Visit.New;
            }

            i = (i + 1) & mask;
        }
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Grow()
    {
        Slot* old = slots;
        int oldSize = size;
        int newSize = oldSize * 2;
        Slot* table = Allocate(newSize);
        int m = newSize - 1;
        for (int j = 0; j < oldSize; j++)
        {
            Slot s = old[j];
            if (s.Lo == 0 && s.Hi == 0)
            {
                continue;
            }

            int i = (int)s.Lo & m;
            while (table[i].Lo != 0 || table[i].Hi != 0)
            {
                i = (i + 1) & m;
            }

            table[i] = s;
        }

        slots = table;
        size = newSize;
        mask = m;
        Release(old, oldSize);
    }

    private void Free()
    {
        if (slots != null)
        {
            Release(slots, size);
            slots = null;
        }
    }

    private static Slot* Allocate(int count) => (Slot*)NativeTable.Allocate((nuint)count * (nuint)sizeof(Slot));

    private static void Release(Slot* p, int count) => NativeTable.Release(p, (nuint)count * (nuint)sizeof(Slot));

    private struct Slot
    {
        internal ulong Lo;

        // The hash's bits 96..127 above, the depth below.
        internal ulong Hi;
    }
}
