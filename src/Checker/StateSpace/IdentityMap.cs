using System.Runtime.CompilerServices;

namespace Verify.StateSpace;

/// <summary>
/// Object identity to number, for one capture: open addressing on the object's identity hash,
/// emptied in O(1) by bumping a generation stamp instead of clearing the table. An entry keeps
/// its key, number and stamp together, so a probe reads one cache line.
/// </summary>
internal sealed class IdentityMap
{
    private Entry[] entries = new Entry[256];
    private int stamp = 1;
    private int count;

    internal void Clear()
    {
        count = 0;
        if (++stamp == int.MaxValue)
        {
            Array.Clear(entries);
            stamp = 1;
        }
    }

    /// <summary>Whether <paramref name="o"/> has a number, and which.</summary>
    internal bool TryGet(object o, out int number)
    {
        Entry[] e = entries;
        int mask = e.Length - 1;
        int i = RuntimeHelpers.GetHashCode(o) & mask;
        while (e[i].Stamp == stamp)
        {
            if (ReferenceEquals(e[i].Key, o))
            {
                number = e[i].Value;
                return true;
            }

            i = (i + 1) & mask;
        }

        number = 0;
        return false;
    }

    /// <summary>The slot for <paramref name="o"/>'s number; <paramref name="seen"/> tells whether it was there.</summary>
    internal ref int GetOrAdd(object o, out bool seen)
    {
        if ((count + 1) * 2 > entries.Length)
        {
            Grow();
        }

        Entry[] e = entries;
        int mask = e.Length - 1;
        int i = RuntimeHelpers.GetHashCode(o) & mask;
        while (true)
        {
            ref Entry entry = ref e[i];
            if (entry.Stamp != stamp)
            {
                entry.Stamp = stamp;
                if (!ReferenceEquals(entry.Key, o))
                {
                    // A reference store costs a GC write barrier; a capture of the same objects finds them in place.
                    entry.Key = o;
                }

                entry.Value = 0;
                count++;
                seen = false;
                return ref entry.Value;
            }

            if (ReferenceEquals(entry.Key, o))
            {
                seen = true;
                return ref entry.Value;
            }

            i = (i + 1) & mask;
        }
    }

    private void Grow()
    {
        Entry[] old = entries;
        var grown = new Entry[old.Length * 2];
        int mask = grown.Length - 1;
        for (int j = 0; j < old.Length; j++)
        {
            if (old[j].Stamp != stamp)
            {
                continue;
            }

            int i = RuntimeHelpers.GetHashCode(old[j].Key!) & mask;
            while (grown[i].Stamp == stamp)
            {
                i = (i + 1) & mask;
            }

            grown[i] = old[j];
        }

        entries = grown;
    }

    private struct Entry
    {
        internal object? Key;
        internal int Value;
        internal int Stamp;
    }
}
