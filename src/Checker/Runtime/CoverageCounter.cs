namespace Verify.Runtime;

/// <summary>
/// One worker's coverage counts, kept across its iterations. <see cref="Hit"/> is on the hot path:
/// a bounds check and an increment; the array grows when a type built after it was sized appears.
/// </summary>
internal sealed class CoverageCounter
{
    private long[] counts = new long[Math.Max(256, CoverageSlots.Count * 2)];

    /// <summary>Iterations counted here.</summary>
    internal long Iterations { get; set; }

    internal long this[int slot] => (uint)slot < (uint)counts.Length ? counts[slot] : 0;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void Hit(int slot)
    {
        long[] c = counts;
        if ((uint)slot < (uint)c.Length)
        {
            c[slot]++;
        }
        else
        {
            Grow(slot);
        }
    }

    internal void Add(CoverageCounter other)
    {
        Iterations += other.Iterations;
        if (other.counts.Length > counts.Length)
        {
            Array.Resize(ref counts, other.counts.Length);
        }

        for (int i = 0; i < other.counts.Length; i++)
        {
            counts[i] += other.counts[i];
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void Grow(int slot)
    {
        Array.Resize(ref counts, Math.Max(slot + 1, CoverageSlots.Count) * 2);
        counts[slot]++;
    }
}
