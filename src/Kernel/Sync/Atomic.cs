using Verify.Kernel.Machine;
using Verify.Specifications;

namespace Verify.Kernel.Sync;

/// <summary>
/// atomic_t: one integer whose operations are single steps with the kernel's semantics (fully
/// ordered in the sequentially consistent model). A caller performs one operation per statement.
/// The word may belong to a CPU that alone writes it (published: the owner reads it freely, anyone
/// else's read is shared), or be written by anyone (shared). Bits outside <c>mask</c> are dropped
/// after every write: a word whose top bits nobody reads wraps there instead of growing.
/// </summary>
public sealed class Atomic
{
    [Frozen]
    private readonly int owner;
    [Frozen]
    private readonly bool published;
    [Frozen]
    private readonly int mask;
    private int counter;

    /// <param name="value">ATOMIC_INIT(value).</param>
    /// <param name="owner">The CPU the word belongs to, or -1 for none.</param>
    /// <param name="publishedByOwner">Only <paramref name="owner"/> writes the word; anyone may read it.</param>
    /// <param name="mask">The bits the word keeps (-1 for all 32).</param>
    public Atomic(int value, int owner = -1, bool publishedByOwner = false, int mask = -1)
    {
        this.owner = owner;
        published = publishedByOwner && owner >= 0;
        this.mask = mask;
        counter = value & mask;
    }

    private int Load() => published ? Access.ReadPublished(owner, counter) : Access.Shared(counter);

    private void Store(int value, string op) =>
        counter = published ? Access.WritePublished(owner, value & mask, op) : Access.Shared(value & mask);

    /// <summary>atomic_read().</summary>
    public int Read() => Load();

    /// <summary>atomic_set().</summary>
    public void Set(int i) => Store(i, "atomic_set");

    /// <summary>atomic_add_return(): adds <paramref name="i"/> (wrapping) and returns the new value.</summary>
    public int AddReturn(int i)
    {
        Store(unchecked(Load() + i), "atomic_add_return");
        return counter;
    }

    /// <summary>atomic_cmpxchg(): stores <paramref name="new"/> if the value is <paramref name="old"/>; returns the value it read either way.</summary>
    public int Cmpxchg(int old, int @new)
    {
        int cur = Load();
        if (cur == old)
        {
            Store(@new, "atomic_cmpxchg");
        }

        return cur;
    }

    /// <summary>
    /// atomic_try_cmpxchg(): stores <paramref name="new"/> and returns true if the value is
    /// <paramref name="old"/>; otherwise returns false and writes the value it read into <paramref name="old"/>.
    /// </summary>
    public bool TryCmpxchg(ref int old, int @new)
    {
        int cur = Cmpxchg(old, @new);
        if (cur == old)
        {
            return true;
        }

        old = cur;
        return false;
    }

    public override string ToString() => $"0x{counter:x}";
}
