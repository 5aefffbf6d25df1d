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
/// ten million states).
/// </summary>
internal sealed class VisitedSet
{
    private Slot[] slots = new Slot[1 << 12];
    private int mask = (1 << 12) - 1;

    internal long Count { get; private set; }

    /// <summary>Adds a state reached at <paramref name="depth"/>; with <paramref name="reopen"/> a shallower revisit counts as new (SPIN's -DREACH).</summary>
    internal Visit Add(UInt128 hash, int depth, bool reopen)
    {
        ulong lo = (ulong)hash;
        ulong hi = (ulong)(hash >> 64) & 0xFFFFFFFF00000000UL;
        if (lo == 0 && hi == 0)
        {
            lo = 1; // (0, 0) marks an empty slot
        }

        Slot[] table = slots;
        int i = (int)lo & mask;
        while (true)
        {
            ref Slot s = ref table[i];
            if (s.Lo == lo && (s.Hi & 0xFFFFFFFF00000000UL) == hi)
            {
                if (reopen && depth < (int)(uint)s.Hi)
                {
                    s.Hi = hi | (uint)depth;
                    return Visit.Shallower;
                }

                return Visit.Seen;
            }

            if (s.Lo == 0 && s.Hi == 0)
            {
                s.Lo = lo;
                s.Hi = hi | (uint)depth;
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
        Slot[] old = slots;
        int size = old.Length * 2;
        var table = new Slot[size];
        int m = size - 1;
        foreach (Slot s in old)
        {
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
        mask = m;
    }

    private struct Slot
    {
        internal ulong Lo;

        // The hash's bits 96..127 above, the depth below.
        internal ulong Hi;
    }
}
