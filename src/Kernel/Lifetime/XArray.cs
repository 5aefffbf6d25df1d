using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Kernel.Sync;
using Verify.Specifications;

namespace Verify.Kernel.Lifetime;

/// <summary>
/// struct xarray reduced to its index-to-pointer operations: a sorted set of (index, entry) slots, where a
/// reserved slot (XA_ZERO_ENTRY) holds null and reads as NULL, guarded for writers by xa_lock (a
/// spinlock_t, so a sleeping lock on PREEMPT_RT). xa_load() is one RCU-safe read: the entry it
/// returns is safe to use only under rcu_read_lock() or a reference, which KASAN then checks.
/// Storing into an index with no slot allocates a node, which may fail where gfp allows.
/// The __ functions are called with xa_lock held; the others take it themselves.
/// </summary>
public sealed class XArray<T>(string name)
    where T : class
{
    public const int ENOMEM = -12;

    [field: Frozen]
    public string name { get; } = name;

    /// <summary>xa->xa_lock.</summary>
    public KernelLock xa_lock { get; } = new(new LockClass("&xa->xa_lock", LockKind.Spinlock), $"{name}.xa_lock");

    /// <summary>
    /// Called in the step of every store into a slot after boot (xas_store()'s rcu_assign_pointer()
    /// of an entry, or of NULL on an erase), with the storing task, the index and the new entry, so
    /// that a model can mirror the slot's pointer in its shared memory. Not model state.
    /// </summary>
    [field: NotHashed]
    public Action<TaskStruct, long, T?>? Stored { get; set; }

    /// <summary>The slots in index order; a null entry is a reserved slot.</summary>
    private List<(long index, T? entry)> slots { get => Access.Shared(field); } = [];

    /// <summary>xa_load(): the entry at <paramref name="index"/>, NULL if absent or reserved. One read, in the caller's statement.</summary>
    public T? XaLoad(long index) => Find(index) is int i ? slots[i].entry : null;

    /// <summary>The number of entries (not reserved slots), for checks of a count the caller keeps beside the array.</summary>
    public int Count => slots.Count(s => s.entry is not null);

    /// <summary>An entry present at boot, before any CPU runs (an xa_store() nobody can race).</summary>
    public void Populate(long index, T entry)
    {
        if (Find(index) is int i)
        {
            slots[i] = (index, entry);
            return;
        }

        Insert(index, entry);
    }

    /// <summary>xa_lock().</summary>
    public IEnumerable<Stmt> XaLock(KernelState k, TaskStruct t) => Locking.Lock(k, t, xa_lock);

    /// <summary>xa_unlock().</summary>
    public IEnumerable<Stmt> XaUnlock(KernelState k, TaskStruct t) => Locking.Unlock(k, t, xa_lock);

    /// <summary>xa_lock_irqsave().</summary>
    public IEnumerable<Stmt> XaLockIrqsave(KernelState k, TaskStruct t, IrqFlags flags) => IrqFlags.SpinLockIrqsave(k, t, xa_lock, flags);

    /// <summary>xa_unlock_irqrestore().</summary>
    public IEnumerable<Stmt> XaUnlockIrqrestore(KernelState k, TaskStruct t, IrqFlags flags) => IrqFlags.SpinUnlockIrqrestore(k, t, xa_lock, flags);

    /// <summary>
    /// __xa_store() with xa_lock held: returns the old entry, or null with <paramref name="err"/> =
    /// -ENOMEM where a new slot was needed and the allocation failed. Storing null erases.
    /// </summary>
    public T? __XaStore(KernelState k, TaskStruct t, long index, T? entry, Gfp gfp, out int err)
    {
        AssertLocked(t, "__xa_store");
        err = 0;
        if (entry is null)
        {
            return __XaErase(t, index);
        }

        if (Find(index) is int i)
        {
            T? old = slots[i].entry;
            slots[i] = (index, entry);
            Stored?.Invoke(t, index, entry);
            return old;
        }

        if (!Allocate(k, gfp))
        {
            err = ENOMEM;
            return null;
        }

        Insert(index, entry);
        Stored?.Invoke(t, index, entry);
        return null;
    }

    /// <summary>__xa_erase() with xa_lock held: removes the slot (entry or reservation); returns the old entry.</summary>
    public T? __XaErase(TaskStruct t, long index)
    {
        AssertLocked(t, "__xa_erase");
        if (Find(index) is not int i)
        {
            return null;
        }

        T? old = slots[i].entry;
        slots.RemoveAt(i);
        if (old is not null)
        {
            Stored?.Invoke(t, index, null);
        }

        return old;
    }

    /// <summary>xa_store(): xa_lock, __xa_store(), xa_unlock. The node allocation happens with the lock dropped, as __xas_nomem() does.</summary>
    public IEnumerable<Stmt> XaStore(KernelState k, TaskStruct t, long index, T? entry, Gfp gfp, XaRet<T> ret)
    {
        MightAlloc(k, t, gfp, "xa_store");
        yield return Stmt.Call(XaLock(k, t));
        ret.entry = __XaStore(k, t, index, entry, gfp, out int err);
        ret.err = err;
        yield return $"xa_store({name}, {index}) = {(err != 0 ? "-ENOMEM" : ret.entry?.ToString() ?? "NULL")}";
        yield return Stmt.Call(XaUnlock(k, t));
    }

    /// <summary>xa_erase(): xa_lock, __xa_erase(), xa_unlock; the old entry in <paramref name="ret"/>.</summary>
    public IEnumerable<Stmt> XaErase(KernelState k, TaskStruct t, long index, XaRet<T> ret)
    {
        yield return Stmt.Call(XaLock(k, t));
        ret.entry = __XaErase(t, index);
        yield return $"xa_erase({name}, {index}) = {ret.entry?.ToString() ?? "NULL"}";
        yield return Stmt.Call(XaUnlock(k, t));
    }

    /// <summary>
    /// xa_reserve() (xa_reserve_irq() with <paramref name="irq"/>): makes sure a slot exists at
    /// <paramref name="index"/> so a later store needs no allocation; -ENOMEM in <paramref name="ret"/> if that failed.
    /// </summary>
    public IEnumerable<Stmt> XaReserve(KernelState k, TaskStruct t, long index, Gfp gfp, XaRet<T> ret, bool irq = false)
    {
        MightAlloc(k, t, gfp, irq ? "xa_reserve_irq" : "xa_reserve");
        yield return Stmt.Call(Locking.Lock(k, t, xa_lock, irq));
        ret.err = 0;
        if (Find(index) is null)
        {
            if (Allocate(k, gfp))
            {
                Insert(index, null);
            }
            else
            {
                ret.err = ENOMEM;
            }
        }

        yield return $"{(irq ? "xa_reserve_irq" : "xa_reserve")}({name}, {index}) = {(ret.err != 0 ? "-ENOMEM" : "0")}";
        yield return Stmt.Call(Locking.Unlock(k, t, xa_lock, irq));
    }

    /// <summary>xa_release(): drops a reservation nobody stored into (xa_cmpxchg(XA_ZERO_ENTRY, NULL)); an entry stays.</summary>
    public IEnumerable<Stmt> XaRelease(KernelState k, TaskStruct t, long index)
    {
        yield return Stmt.Call(XaLock(k, t));
        if (Find(index) is int i && slots[i].entry is null)
        {
            slots.RemoveAt(i);
        }

        yield return $"xa_release({name}, {index})";
        yield return Stmt.Call(XaUnlock(k, t));
    }

    /// <summary>
    /// xa_for_each(xa, index, entry): each iteration is one xa_find_after() read of the live array
    /// (RCU-safe, no lock), done when the caller's loop asks for the next entry, so entries stored
    /// or erased meanwhile are seen or missed as in the kernel. Reserved slots are skipped.
    /// </summary>
    public IEnumerable<(long index, T entry)> XaForEach()
    {
        long next = long.MinValue;
        while (true)
        {
            (long index, T? entry)? found = null;
            foreach ((long index, T? entry) s in slots)
            {
                if (s.index >= next && s.entry is not null)
                {
                    found = s;
                    break;
                }
            }

            if (found is not (long idx, T e))
            {
                yield break;
            }

            next = idx + 1;
            yield return (idx, e);
        }
    }

    public override string ToString() => name;

    private int? Find(long index)
    {
        for (int i = 0; i < slots.Count; i++)
        {
            if (slots[i].index == index)
            {
                return i;
            }
        }

        return null;
    }

    private void Insert(long index, T? entry)
    {
        int i = 0;
        while (i < slots.Count && slots[i].index < index)
        {
            i++;
        }

        slots.Insert(i, (index, entry));
    }

    /// <summary>A node allocation: fails in some schedule where gfp allows (a recorded choice).</summary>
    private static bool Allocate(KernelState k, Gfp gfp) =>
        (gfp & Gfp.__GFP_NOFAIL) != 0 || !Heap.Of(k).may_fail || k.RandomInteger(2) == 0;

    /// <summary>might_alloc(gfp): an allocation that may reclaim may sleep.</summary>
    private static void MightAlloc(KernelState k, TaskStruct t, Gfp gfp, string where)
    {
        if ((gfp & Gfp.__GFP_DIRECT_RECLAIM) != 0)
        {
            Lockdep.MightSleep(k, t, where);
        }
    }

    private void AssertLocked(TaskStruct t, string where) =>
        Specification.Assert(xa_lock.IsHeldBy(t), "WARNING: suspicious RCU usage: {0}({1}) by {2} without {3} held (lockdep_is_held(&xa->xa_lock)).", where, name, t.comm, xa_lock.name);
}
