namespace Verify.StateSpace;

/// <summary>
/// Hash compaction with 64-bit fingerprints: an open-addressing table of 8-byte slots, each the low
/// 64 bits of a state's hash, outside the managed heap (<see cref="NativeTable"/>). Half the memory
/// of <see cref="VisitedSet"/>, at the price of depths (a state the depth bound cut is not explored
/// again when reached shallower) and of a collision probability of about n^2 / 2^65.
/// </summary>
internal sealed unsafe class FingerprintSet : IVisitedStore
{
    private const int InitialSize = 1 << 12;

    private ulong* slots;
    private int size;
    private int mask;

    internal FingerprintSet()
    {
        slots = Allocate(InitialSize);
        size = InitialSize;
        mask = InitialSize - 1;
    }

    ~FingerprintSet() => Free();

    public long Count { get; private set; }

    public long Bytes => (long)size * sizeof(ulong);

    public bool KeepsDepths => false;

    public Visit Add(UInt128 hash, int depth, bool reopen)
    {
        ObjectDisposedException.ThrowIf(slots == null, this);
        ulong f = (ulong)hash;
        if (f == 0)
        {
            f = 1; // 0 marks an empty slot
        }

        ulong* table = slots;
        int i = (int)f & mask;
        while (true)
        {
            ulong s = table[i];
            if (s == f)
            {
                return Visit.Seen;
            }

            if (s == 0)
            {
                table[i] = f;
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
        ulong* old = slots;
        int oldSize = size;
        int newSize = oldSize * 2;
        ulong* table = Allocate(newSize);
        int m = newSize - 1;
        for (int j = 0; j < oldSize; j++)
        {
            ulong f = old[j];
            if (f == 0)
            {
                continue;
            }

            int i = (int)f & m;
            while (table[i] != 0)
            {
                i = (i + 1) & m;
            }

            table[i] = f;
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

    private static ulong* Allocate(int count) => (ulong*)NativeTable.Allocate((nuint)count * sizeof(ulong));

    private static void Release(ulong* p, int count) => NativeTable.Release(p, (nuint)count * sizeof(ulong));
}
