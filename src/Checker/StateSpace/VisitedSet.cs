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
/// The hashes of visited states with the least depth each was reached at, in an
/// <see cref="OpenTable{TSlot}"/>. A slot is 16 bytes and holds 96 bits of the state's 128-bit hash
/// and its depth, so a probe and an insert touch one cache line. Storing hashes instead of states is
/// hash compaction: two of n states collide with probability about n^2 / 2^97 (below 10^-16 for
/// ten million states).
/// </summary>
internal sealed unsafe class VisitedSet : IVisitedStore
{
    private readonly OpenTable<Slot> table = new();

    public long Count => table.Count;

    /// <summary>Bytes the table holds (outside the managed heap, so memory reports add them).</summary>
    public long Bytes => table.Bytes;

    public bool KeepsDepths => true;

    /// <summary>Adds a state reached at <paramref name="depth"/>; with <paramref name="reopen"/> a shallower revisit counts as new (SPIN's -DREACH).</summary>
    public Visit Add(UInt128 hash, int depth, bool reopen)
    {
        ObjectDisposedException.ThrowIf(table.Disposed, this);
        ulong lo = (ulong)hash;
        ulong hi = (ulong)(hash >> 64) & 0xFFFFFFFF00000000UL;
        if (lo == 0 && hi == 0)
        {
            lo = 1; // (0, 0) marks an empty slot
        }

        Slot* slots = table.Slots;
        int mask = table.Mask;
        int i = (int)lo & mask;
        while (true)
        {
            Slot* s = slots + i;
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
                table.Filled();
                return Visit.New;
            }

            i = (i + 1) & mask;
        }
    }

    public void Dispose() => table.Dispose();

    private struct Slot : ITableSlot<Slot>
    {
        internal ulong Lo;

        // The hash's bits 96..127 above, the depth below.
        internal ulong Hi;

        public static bool IsEmpty(in Slot slot) => slot.Lo == 0 && slot.Hi == 0;

        public static int Home(in Slot slot) => (int)slot.Lo;
    }
}
