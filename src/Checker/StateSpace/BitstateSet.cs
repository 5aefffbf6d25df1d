using System.Threading;

namespace Verify.StateSpace;

/// <summary>
/// Bitstate hashing (SPIN's supertrace): a fixed table of 2^w bits outside the managed heap. A
/// state sets the k bits its hash selects (double hashing: bit i is h1 + i * h2 modulo 2^w); a
/// state whose k bits are all set already is taken as seen, so some states that were never
/// explored are omitted. Memory stays at 2^w / 8 bytes however many states there are. Safe for
/// the workers of a parallel search: bits are set with atomic ORs (states share words), and the
/// test-and-set of one state's bits runs under one of a few locks chosen by its hash, so two
/// workers reaching the same state cannot both take it as new.
/// </summary>
internal sealed unsafe class BitstateSet : IVisitedStore
{
    private readonly int log2Bits;

    // Mixed into the two hashes (0 leaves them as they are): another salt, other omissions.
    private readonly ulong salt;
    private readonly int hashes;
    private readonly ulong bitMask;
    private readonly object[] stripes = Enumerable.Range(0, 64).Select(_ => new object()).ToArray();
    private ulong* words;
    private long count;
    private long setBits;

    internal BitstateSet(int log2Bits, int hashes, ulong salt = 0)
    {
        this.salt = salt;
        if (log2Bits is < MinLog2Bits or > MaxLog2Bits)
        {
            throw new ArgumentOutOfRangeException(nameof(log2Bits), log2Bits, $"the bitstate table has 2^w bits with {MinLog2Bits} <= w <= {MaxLog2Bits}");
        }

        if (hashes is < 1 or > MaxHashes)
        {
            throw new ArgumentOutOfRangeException(nameof(hashes), hashes, $"a state sets k bits with 1 <= k <= {MaxHashes}");
        }

        this.log2Bits = log2Bits;
        this.hashes = hashes;
        bitMask = (1UL << log2Bits) - 1;
        words = (ulong*)NativeTable.Allocate(WordBytes);
    }

    ~BitstateSet() => Free();

    internal const int MinLog2Bits = StateStoreLimits.MinLog2Bits;

    internal const int MaxLog2Bits = StateStoreLimits.MaxLog2Bits;

    internal const int MaxHashes = StateStoreLimits.MaxHashes;

    public long Count => Interlocked.Read(ref count);

    public long Bytes => (long)WordBytes;

    public bool KeepsDepths => false;

    /// <summary>Bits set so far.</summary>
    internal long SetBits => Interlocked.Read(ref setBits);

    private nuint WordBytes => (nuint)(1UL << log2Bits) / 8;

    public Visit Add(UInt128 hash, int depth, bool reopen)
    {
        ObjectDisposedException.ThrowIf(words == null, this);
        ulong h1 = (ulong)hash;
        ulong h2 = (ulong)(hash >> 64) | 1;
        if (salt != 0)
        {
            h1 = SearchOrder.Mix(h1 ^ salt);
            h2 = SearchOrder.Mix(h2 + salt) | 1;
        }

        lock (stripes[(int)(h1 >> 58)])
        {
            return TestAndSet(h1, h2);
        }
    }

    private Visit TestAndSet(ulong h1, ulong h2)
    {
        bool all = true;
        for (int i = 0; i < hashes; i++)
        {
            ulong bit = (h1 + ((ulong)i * h2)) & bitMask;
            ulong m = 1UL << (int)(bit & 63);
            ulong before = (ulong)Interlocked.Or(ref *(long*)(words + (bit >> 6)), (long)m);
            if ((before & m) == 0)
            {
                all = false;
                Interlocked.Increment(ref setBits);
            }
        }

        if (all)
        {
            return Visit.Seen;
        }

        Interlocked.Increment(ref count);
        return Visit.New;
    }

    /// <summary>
    /// The expected number of states taken as seen without having been explored, when
    /// <paramref name="states"/> were stored in 2^<paramref name="log2Bits"/> bits, <paramref name="hashes"/>
    /// a state: the i-th state stored meets a table filled to about 1 - e^(-k i / m), and is omitted
    /// when all its k bits are among those, so the sum of (1 - e^(-k i / m))^k over the states
    /// (integrated numerically). An estimate under uniform hashing, as SPIN's hash factor is.
    /// </summary>
    internal static double ExpectedOmissions(long states, int log2Bits, int hashes)
    {
        if (states <= 0)
        {
            return 0;
        }

        double m = Math.Pow(2, log2Bits);
        double k = hashes;
        double F(double x) => Math.Pow(1 - Math.Exp(-k * x / m), k);

        // Simpson's rule over [0, n] (the integrand is smooth and increasing).
        const int Intervals = 1000;
        double n = states;
        double h = n / Intervals;
        double sum = F(0) + F(n);
        for (int i = 1; i < Intervals; i++)
        {
            sum += F(i * h) * (i % 2 == 1 ? 4 : 2);
        }

        return sum * h / 3;
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (words != null)
        {
            NativeTable.Release(words, WordBytes);
            words = null;
        }
    }
}
