namespace Verify.StateSpace;

/// <summary>What an <see cref="OpenTable{TSlot}"/> needs to know of its slots.</summary>
internal interface ITableSlot<TSlot>
    where TSlot : unmanaged
{
    /// <summary>An all-zero slot, as the allocator hands them out.</summary>
    static abstract bool IsEmpty(in TSlot slot);

    /// <summary>Where the slot's probe sequence starts, before masking.</summary>
    static abstract int Home(in TSlot slot);
}

/// <summary>
/// An open-addressing table with linear probing outside the managed heap (<see cref="NativeTable"/>),
/// doubled when 70% full: the storage of the hash-compaction stores, which probe and fill it themselves.
/// </summary>
internal sealed unsafe class OpenTable<TSlot> : IDisposable
    where TSlot : unmanaged, ITableSlot<TSlot>
{
    private const int InitialSize = 1 << 12;

    internal OpenTable()
    {
        Slots = Allocate(InitialSize);
        Size = InitialSize;
        Mask = InitialSize - 1;
    }

    ~OpenTable() => Free();

    internal TSlot* Slots { get; private set; }

    internal int Size { get; private set; }

    internal int Mask { get; private set; }

    internal long Count { get; private set; }

    internal long Bytes => (long)Size * sizeof(TSlot);

    internal bool Disposed => Slots == null;

    /// <summary>Counts a slot just filled; past 70% the table doubles (so a slot pointer held across this call is stale).</summary>
    internal void Filled()
    {
        if (++Count * 10 > (long)Size * 7)
        {
            Grow();
        }
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Grow()
    {
        TSlot* old = Slots;
        int oldSize = Size;
        int newSize = oldSize * 2;
        TSlot* table = Allocate(newSize);
        int m = newSize - 1;
        for (int j = 0; j < oldSize; j++)
        {
            TSlot s = old[j];
            if (TSlot.IsEmpty(in s))
            {
                continue;
            }

            int i = TSlot.Home(in s) & m;
            while (!TSlot.IsEmpty(in table[i]))
            {
                i = (i + 1) & m;
            }

            table[i] = s;
        }

        Slots = table;
        Size = newSize;
        Mask = m;
        Release(old, oldSize);
    }

    private void Free()
    {
        if (Slots != null)
        {
            Release(Slots, Size);
            Slots = null;
        }
    }

    private static TSlot* Allocate(int count) => (TSlot*)NativeTable.Allocate((nuint)count * (nuint)sizeof(TSlot));

    private static void Release(TSlot* p, int count) => NativeTable.Release(p, (nuint)count * (nuint)sizeof(TSlot));
}
