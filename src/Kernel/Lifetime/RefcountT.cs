using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Kernel.Sync;
using Verify.Specifications;

namespace Verify.Kernel.Lifetime;

/// <summary>
/// refcount_t: a counter inside an object (so touching it after the object is freed is a KASAN
/// report first), whose operations are each one atomic step done in the caller's statement.
/// Getting from zero and underflow are refcount_warn_saturate()'s WARNs. A drop to zero is observed
/// (<see cref="RefcountZero"/>) for the leak check.
/// </summary>
public sealed class RefcountT
{
    private readonly SlabObject? owner;
    [Frozen]
    private readonly string fieldName;
    private int refs;

    /// <param name="owner">The object the count lives in (null for a count outside the heap).</param>
    /// <param name="field">The field's name in reports ("refcount").</param>
    public RefcountT(SlabObject? owner, string field)
    {
        this.owner = owner;
        fieldName = field;
    }

    /// <summary>The object the count lives in (container_of()).</summary>
    public SlabObject? container => owner;

    private int Value
    {
        get
        {
            Check(write: false);
            return Access.Shared(refs);
        }

        set
        {
            Check(write: true);
            refs = Access.Shared(value);
        }
    }

    /// <summary>refcount_read().</summary>
    public int Read() => Value;

    /// <summary>refcount_set().</summary>
    public void Set(int n) => Value = n;

    /// <summary>refcount_inc(): a reference the caller's own reference proves nonzero; from zero it WARNs "addition on 0".</summary>
    public void Inc(KernelState k)
    {
        int v = Value;
        Warn(k, v != 0, "refcount_t: addition on 0; use-after-free.");
        Value = v + 1;
    }

    /// <summary>refcount_inc_not_zero(): takes a reference unless the count is zero (an object on its way out stays dead).</summary>
    public bool IncNotZero(KernelState k)
    {
        int v = Value;
        if (v == 0)
        {
            return false;
        }

        Value = v + 1;
        return true;
    }

    /// <summary>refcount_dec_and_test(): drops a reference; true when it was the last. From zero it WARNs "underflow".</summary>
    public bool DecAndTest(KernelState k)
    {
        int v = Value;
        Warn(k, v != 0, "refcount_t: underflow; use-after-free.");
        Value = v - 1;
        if (v == 1)
        {
            ReachedZero(k);
            return true;
        }

        return false;
    }

    /// <summary>refcount_dec(): drops a reference that must not be the last ("decrement hit 0; leaking memory").</summary>
    public void Dec(KernelState k)
    {
        int v = Value;
        Warn(k, v != 0, "refcount_t: underflow; use-after-free.");
        Warn(k, v != 1, "refcount_t: decrement hit 0; leaking memory.");
        Value = v - 1;
    }

    /// <summary>refcount_dec_not_one(): drops a reference unless it is the last; false (and no change) at one.</summary>
    public bool DecNotOne(KernelState k)
    {
        int v = Value;
        Warn(k, v != 0, "refcount_t: underflow; use-after-free.");
        if (v == 1)
        {
            return false;
        }

        Value = v - 1;
        return true;
    }

    /// <summary>
    /// refcount_dec_and_lock_irqsave(r, lock, &amp;flags): drops a reference; only when it may be the
    /// last does it take <paramref name="l"/> with spin_lock_irqsave() and drop it under the lock.
    /// Returns (as the kernel's true) with the lock held exactly when the count reached zero: the
    /// caller asks <c>l.IsHeldBy(t)</c>, then releases the object and spin_unlock_irqrestore()s.
    /// </summary>
    public IEnumerable<Stmt> DecAndLockIrqsave(KernelState k, TaskStruct t, KernelLock l, IrqFlags flags)
    {
        // The fast path: one atomic step, no lock, while others hold references.
        bool dropped = DecNotOne(k);
        yield return $"refcount_dec_and_lock_irqsave({Name}): refcount_dec_not_one() = {(dropped ? 1 : 0)}";
        if (dropped)
        {
            yield break;
        }

        yield return Stmt.Call(IrqFlags.SpinLockIrqsave(k, t, l, flags));
        bool last = DecAndTest(k);
        yield return $"refcount_dec_and_lock_irqsave({Name}): refcount_dec_and_test() = {(last ? 1 : 0)}";
        if (!last)
        {
            yield return Stmt.Call(IrqFlags.SpinUnlockIrqrestore(k, t, l, flags));
        }
    }

    private string Name => owner is null ? fieldName : $"{owner.name}->{fieldName}";

    private void Check(bool write)
    {
        if (owner is not null)
        {
            Kasan.CheckAccess(owner, fieldName, write);
        }
    }

    private void ReachedZero(KernelState k)
    {
        if (owner is not null)
        {
            k.Observe(new RefcountZero(owner.name));
        }
    }

    /// <summary>refcount_warn_saturate(): WARN_ONCE with the kernel's message, naming the count and its object's history.</summary>
    private void Warn(KernelState k, bool ok, string message)
    {
        if (ok)
        {
            return;
        }

        DebugReports.Check(k, false, DebugFacility.Refcount, "WARNING: at lib/refcount.c refcount_warn_saturate: {0} ({1} by {2}.{3})",
            message, Name, Kasan.Now(k), owner is null ? string.Empty : " " + Kasan.History(owner));
    }
}
