namespace Verify.StateSpace;

/// <summary>
/// Where each root's part of a captured state lies: the hash of each root's words (its segment)
/// and the captured objects in order with each root's first index. Two states whose layouts agree
/// on a root's segment hash and on every object identity up to that root's end hold that root's
/// objects with equal contents, so a restore may leave them alone. (Equal words alone are not
/// enough: a back reference is a number, and the object at that number may have been replaced.)
/// </summary>
internal sealed class StateLayout
{
    internal UInt128[] Segments { get; private set; } = [];

    internal int[] ObjectStarts { get; private set; } = [];

    internal object[] Objects { get; private set; } = [];

    /// <summary>Actor slots plus monitors.</summary>
    internal int Roots { get; private set; }

    /// <summary>Makes room for <paramref name="roots"/> roots: with <paramref name="spare"/>, for more to come (a capture's layout, as actors are created).</summary>
    internal void Begin(int roots, bool spare = true)
    {
        Roots = roots;
        if (Segments.Length <= roots)
        {
            int size = spare ? (roots * 2) + 1 : roots + 1;
            Segments = new UInt128[size];
            ObjectStarts = new int[size];
        }
    }

    /// <summary>Makes <see cref="Objects"/> the capture's own array (no copy; valid until the next capture).</summary>
    internal void Attach(object[] objects) => Objects = objects;

    internal void CopyFrom(StateLayout other)
    {
        Begin(other.Roots, spare: false);
        Array.Copy(other.Segments, Segments, Roots);
        Array.Copy(other.ObjectStarts, ObjectStarts, Roots + 1);
        int n = other.ObjectStarts[Roots];
        if (Objects.Length < n)
        {
            Objects = new object[n];
        }

        // Element by element, storing only what differs: a reference store costs a GC write
        // barrier, and a layout copied over an earlier one mostly holds the same objects.
        object[] from = other.Objects;
        object[] to = Objects;
        for (int i = 0; i < n; i++)
        {
            if (!ReferenceEquals(to[i], from[i]))
            {
                to[i] = from[i];
            }
        }
    }

    /// <summary>
    /// For each root, whether a state laid out as <paramref name="live"/> already holds this
    /// layout's objects for it: same identities up to the root's end and the same segment hash.
    /// </summary>
    internal void Unchanged(StateLayout? live, Span<bool> unchanged)
    {
        bool identical = live is not null && live.Roots == Roots;
        for (int r = 0; r < Roots; r++)
        {
            if (identical)
            {
                int s0 = ObjectStarts[r];
                int s1 = ObjectStarts[r + 1];
                if (live!.ObjectStarts[r] != s0 || live.ObjectStarts[r + 1] != s1)
                {
                    identical = false;
                }
                else
                {
                    for (int i = s0; i < s1; i++)
                    {
                        if (!ReferenceEquals(live.Objects[i], Objects[i]))
                        {
                            identical = false;
                            break;
                        }
                    }
                }
            }

            unchanged[r] = identical && live!.Segments[r] == Segments[r];
        }
    }
}
