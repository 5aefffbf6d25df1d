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
/// The 128-bit hashes of visited states with the least depth each was reached at, in an
/// open-addressing table with linear probing; a probe reads one 16-byte slot (the depths sit in a
/// side array read only when the bound has cut the search). Storing hashes instead of states is
/// hash compaction: two states collide with probability about n^2 / 2^129.
/// </summary>
internal sealed class VisitedSet
{
    private Slot[] slots = new Slot[1 << 12];
    private int[] depths = new int[1 << 12];
    private int mask = (1 << 12) - 1;

    internal long Count { get; private set; }

    /// <summary>Adds a state reached at <paramref name="depth"/>; with <paramref name="reopen"/> a shallower revisit counts as new (SPIN's -DREACH).</summary>
    internal Visit Add(UInt128 hash, int depth, bool reopen)
    {
        ulong lo = (ulong)hash;
        ulong hi = (ulong)(hash >> 64);
        if (lo == 0 && hi == 0)
        {
            lo = 1; // (0, 0) marks an empty slot
        }

        Slot[] table = slots;
        int i = (int)lo & mask;
        while (true)
        {
            ref Slot s = ref table[i];
            if (s.Lo == lo && s.Hi == hi)
            {
                if (reopen && depth < depths[i])
                {
                    depths[i] = depth;
                    return Visit.Shallower;
                }

                return Visit.Seen;
            }

            if (s.Lo == 0 && s.Hi == 0)
            {
                s.Lo = lo;
                s.Hi = hi;
                depths[i] = depth;
                if (++Count * 10 > (long)table.Length * 7)
                {
                    Grow();
                }

                return Visit.New;
            }

            i = (i + 1) & mask;
        }
    }

    private void Grow()
    {
        Slot[] oldSlots = slots;
        int[] oldDepths = depths;
        int size = oldSlots.Length * 2;
        slots = new Slot[size];
        depths = new int[size];
        mask = size - 1;
        for (int j = 0; j < oldSlots.Length; j++)
        {
            Slot s = oldSlots[j];
            if (s.Lo == 0 && s.Hi == 0)
            {
                continue;
            }

            int i = (int)s.Lo & mask;
            while (slots[i].Lo != 0 || slots[i].Hi != 0)
            {
                i = (i + 1) & mask;
            }

            slots[i] = s;
            depths[i] = oldDepths[j];
        }
    }

    private struct Slot
    {
        internal ulong Lo;
        internal ulong Hi;
    }
}
