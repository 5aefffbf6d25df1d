using System.Runtime.CompilerServices;

namespace Verify.StateSpace;

/// <summary>
/// Object identity to number, for one capture: open addressing on the object's identity hash,
/// emptied in O(1) by bumping a generation stamp instead of clearing the table.
/// </summary>
internal sealed class IdentityMap
{
    private object?[] keys = new object?[256];
    private int[] values = new int[256];
    private int[] stamps = new int[256];
    private int stamp = 1;
    private int count;

    internal void Clear()
    {
        count = 0;
        if (++stamp == int.MaxValue)
        {
            Array.Clear(stamps);
            Array.Clear(keys);
            stamp = 1;
        }
    }

    /// <summary>The slot for <paramref name="o"/>'s number; <paramref name="seen"/> tells whether it was there.</summary>
    internal ref int GetOrAdd(object o, out bool seen)
    {
        if ((count + 1) * 2 > keys.Length)
        {
            Grow();
        }

        int mask = keys.Length - 1;
        int i = RuntimeHelpers.GetHashCode(o) & mask;
        while (true)
        {
            if (stamps[i] != stamp)
            {
                stamps[i] = stamp;
                if (!ReferenceEquals(keys[i], o))
                {
                    // A reference store costs a GC write barrier; a capture of the same objects finds them in place.
                    keys[i] = o;
                }

                values[i] = 0;
                count++;
                seen = false;
                return ref values[i];
            }

            if (ReferenceEquals(keys[i], o))
            {
                seen = true;
                return ref values[i];
            }

            i = (i + 1) & mask;
        }
    }

    private void Grow()
    {
        object?[] oldKeys = keys;
        int[] oldValues = values;
        int[] oldStamps = stamps;
        int size = keys.Length * 2;
        keys = new object?[size];
        values = new int[size];
        stamps = new int[size];
        int mask = size - 1;
        for (int j = 0; j < oldKeys.Length; j++)
        {
            if (oldStamps[j] != stamp)
            {
                continue;
            }

            int i = RuntimeHelpers.GetHashCode(oldKeys[j]!) & mask;
            while (stamps[i] == stamp)
            {
                i = (i + 1) & mask;
            }

            keys[i] = oldKeys[j];
            values[i] = oldValues[j];
            stamps[i] = stamp;
        }
    }
}
