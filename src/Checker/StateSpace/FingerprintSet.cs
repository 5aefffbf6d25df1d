namespace Verify.StateSpace;

/// <summary>
/// Hash compaction with 64-bit fingerprints: an <see cref="OpenTable{TSlot}"/> of 8-byte slots, each
/// the low 64 bits of a state's hash. Half the memory of <see cref="VisitedSet"/>, at the price of
/// depths (a state the depth bound cut is not explored again when reached shallower) and of a
/// collision probability of about n^2 / 2^65.
/// </summary>
internal sealed unsafe class FingerprintSet : IVisitedStore
{
    private readonly OpenTable<Fingerprint> table = new();

    public long Count => table.Count;

    public long Bytes => table.Bytes;

    public bool KeepsDepths => false;

    public Visit Add(UInt128 hash, int depth, bool reopen)
    {
        ObjectDisposedException.ThrowIf(table.Disposed, this);
        ulong f = (ulong)hash;
        if (f == 0)
        {
            f = 1; // 0 marks an empty slot
        }

        Fingerprint* slots = table.Slots;
        int mask = table.Mask;
        int i = (int)f & mask;
        while (true)
        {
            ulong s = slots[i].Value;
            if (s == f)
            {
                return Visit.Seen;
            }

            if (s == 0)
            {
                slots[i].Value = f;
                table.Filled();
                return Visit.New;
            }

            i = (i + 1) & mask;
        }
    }

    public void Dispose() => table.Dispose();

    private struct Fingerprint : ITableSlot<Fingerprint>
    {
        internal ulong Value;

        public static bool IsEmpty(in Fingerprint slot) => slot.Value == 0;

        public static int Home(in Fingerprint slot) => (int)slot.Value;
    }
}
