using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sched;
using Verify.Kernel.Sync;
using Verify.Specifications;

namespace Verify.Kernel.Lifetime;

/// <summary>
/// kzalloc(), kfree() and kfree_rcu(), each done in the caller's statement (the caller yields the
/// step's text after the call). kfree_rcu() hands the object to the substrate's RCU with call_rcu(),
/// so it is freed in rcu_do_batch() after a grace period the existing machinery runs.
/// </summary>
public static class Slab
{
    /// <summary>
    /// kzalloc(sizeof(T), gfp) by <paramref name="t"/> (null at boot): might_sleep() when gfp allows
    /// direct reclaim; NULL in the schedules where the allocation fails, a recorded choice made
    /// whenever gfp lacks __GFP_NOFAIL and the heap allows failures.
    /// </summary>
    public static T? Kzalloc<T>(KernelState k, TaskStruct? t, Gfp gfp)
        where T : SlabObject, new()
    {
        if (t is not null && (gfp & Gfp.__GFP_DIRECT_RECLAIM) != 0)
        {
            Lockdep.MightSleep(k, t, $"kzalloc({typeof(T).Name}, {gfp})");
        }

        Heap heap = Heap.Of(k);
        if ((gfp & Gfp.__GFP_NOFAIL) == 0 && heap.may_fail && k.RandomInteger(2) == 1)
        {
            return null;
        }

        var o = new T { k = k, slab_state = SlabState.Allocated, allocated = Kasan.Now(k, t) };
        o.name = $"{o.cache}#{heap.next_object++}";
        k.Observe(new SlabAllocated(o.name));
        return o;
    }

    /// <summary>SLUB's per-CPU slab lock, local_lock(&amp;s->cpu_slab->lock): a sleeping lock on PREEMPT_RT.</summary>
    private static readonly KernelLock CpuSlabLock = new(new LockClass("&s->cpu_slab->lock", LockKind.LocalLock), "s->cpu_slab->lock");

    /// <summary>n->list_lock of the slab cache's node: a spinlock_t, so a sleeping lock on PREEMPT_RT.</summary>
    private static readonly KernelLock NodeListLock = new(new LockClass("&n->list_lock", LockKind.Spinlock), "n->list_lock");

    /// <summary>
    /// kfree(o) by <paramref name="t"/>: kfree(NULL) is a no-op; freeing a freed object is a
    /// double-free. On PREEMPT_RT SLUB's free paths may take a sleeping lock: its fast path (the
    /// object's slab is the CPU's slab) takes local_lock(&amp;s->cpu_slab->lock), since the lockless
    /// fast path is off on PREEMPT_RT, and its slow path (__slab_free()) takes n->list_lock when the
    /// slab must move between the node's lists, and no lock otherwise. So a kfree() that holds a raw
    /// spinlock, or runs with interrupts or preemption off, may hit lockdep's invalid wait context
    /// and __might_resched()'s report. Which path a kfree() takes depends on the slab's other
    /// objects, which the model does not keep: where a sleeping lock would be reported, the path is
    /// a recorded choice of three (nowhere else, so no other schedule changes). An object allocated
    /// with __GFP_ACCOUNT under a memcg also takes memcg_stock's local_lock when uncharged, so for
    /// it a sleeping lock is certain; the choice covers that schedule too.
    /// </summary>
    public static void Kfree(KernelState k, TaskStruct? t, SlabObject? o)
    {
        if (o is not null && t is not null && Lockdep.SleepingLockIsInvalid(k, t) && k.RandomInteger(3) is int path and > 0)
        {
            KernelLock l = path == 1 ? CpuSlabLock : NodeListLock;
            Lockdep.CheckWaitContext(k, t, l);
            Lockdep.MightResched(k, t, path == 1 ? "kfree: do_slab_free: local_lock(&s->cpu_slab->lock)" : "kfree: __slab_free: spin_lock_irqsave(&n->list_lock)");
        }

        Free(k, o, "kfree", Kasan.Now(k, t));
    }

    /// <summary>
    /// kfree_rcu(o, rcu) by <paramref name="t"/>: the object stays allocated (readers may still use it)
    /// until rcu_do_batch() frees it after a full grace period that starts after now.
    /// </summary>
    public static void KfreeRcu(KernelState k, TaskStruct? t, SlabObject? o)
    {
        if (o is null)
        {
            return;
        }

        KStep now = Kasan.Now(k, t);

        // kvfree_call_rcu() writes the rcu_head inside the object: on a freed object that is a
        // use-after-free; queueing it twice would free it twice.
        Kasan.CheckFree(o, "kfree_rcu", now);
        DebugReports.Check(k, o.slab_state != SlabState.RcuQueued, DebugFacility.Kasan,
            "BUG: KASAN: double-free in kfree_rcu: {0} queued again by {1}. {2}", o.name, now, Kasan.History(o));
        if (o.slab_state == SlabState.Static)
        {
            throw new InvalidOperationException($"kfree_rcu() of {o.name}, which was not allocated by kzalloc().");
        }

        o.slab_state = SlabState.RcuQueued;
        o.rcu_queued = now;
        RcuCallbacks.CallRcu(k, new KfreeRcuCallback(o));
        k.Observe(new SlabFreed(o.name, viaRcu: true));
    }

    private static void Free(KernelState k, SlabObject? o, string where, KStep now)
    {
        if (o is null)
        {
            return;
        }

        Kasan.CheckFree(o, where, now);
        if (o.slab_state == SlabState.Static)
        {
            throw new InvalidOperationException($"{where}() of {o.name}, which was not allocated by kzalloc().");
        }

        // A kfree() of an object kfree_rcu() queued frees it now, and rcu_do_batch() will free it
        // again: that second free is the double-free KASAN reports.
        o.slab_state = SlabState.Freed;
        o.freed = now;
        k.Observe(new SlabFreed(o.name, viaRcu: false));
    }

    /// <summary>kvfree_rcu's callback: rcu_do_batch() frees the object on the housekeeping CPU.</summary>
    private sealed class KfreeRcuCallback(SlabObject o) : IRcuCallback
    {
        public void Invoke(KernelState k, TaskStruct t) => Free(k, o, "rcu_do_batch (kvfree_rcu)", Kasan.Now(k, t));
    }
}
