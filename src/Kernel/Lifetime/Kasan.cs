using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Specifications;

namespace Verify.Kernel.Lifetime;

/// <summary>
/// The reports of KASAN (and of the page-fault handler for NULL), in their words, each naming the
/// object, the access, and the allocation and free steps (KASAN's "Allocated by task" and "Freed by
/// task" stacks, with kfree_rcu()'s queueing as its "Last potentially related work creation").
/// </summary>
public static class Kasan
{
    /// <summary>An access of <paramref name="o"/>'s field: a freed object is a slab-use-after-free.</summary>
    internal static void CheckAccess(SlabObject o, string field, bool write)
    {
        if (o.slab_state != SlabState.Freed)
        {
            return;
        }

        DebugReports.Check(o.k, false, DebugFacility.Kasan,
            "BUG: KASAN: slab-use-after-free on {0}->{1}: {2} by {3}. {4}",
            o.name, field, write ? "Write" : "Read", Now(o.k), History(o));
    }

    /// <summary>A free of an object already freed: KASAN's double-free (an invalid-free of a freed object).</summary>
    internal static void CheckFree(SlabObject o, string where, KStep now)
    {
        if (o.slab_state != SlabState.Freed)
        {
            return;
        }

        DebugReports.Check(o.k, false, DebugFacility.Kasan, "BUG: KASAN: double-free in {0}: {1} freed again by {2}. {3}", where, o.name, now, History(o));
    }

    /// <summary>The object's history as KASAN prints it after the access.</summary>
    internal static string History(SlabObject o)
    {
        string freed = o.slab_state == SlabState.Freed ? $" Freed by {o.freed}." : string.Empty;
        string queued = o.rcu_queued is KStep q ? $" Last potentially related work creation: kfree_rcu() by {q}." : string.Empty;
        return $"Allocated by {o.allocated}.{freed}{queued} The buggy address belongs to the object {o.name} of cache {o.cache}.";
    }

    /// <summary>
    /// p->field where p may be NULL: the oops of a NULL dereference, else <paramref name="p"/>.
    /// Write <c>Kasan.Deref(k, irq, "irq->intid").intid</c> wherever the kernel dereferences a
    /// pointer that a lookup or an allocation may have left NULL.
    /// </summary>
    public static T Deref<T>(KernelState k, T? p, string expr)
        where T : class
    {
        Specification.Assert(p is not null, "BUG: kernel NULL pointer dereference: {0} with {1} NULL, by {2}.", expr, expr.Split("->")[0], Now(k));
        return p!;
    }

    /// <summary>The step in progress: the current task of the running CPU, or the kthread the running housekeeping CPU runs.</summary>
    internal static KStep Now(KernelState? k)
    {
        if (k is null || Access.RunningCpu is not int cpu)
        {
            return new KStep(k?.jiffies ?? 0, "swapper (boot)", 0);
        }

        return new KStep(k.jiffies, Current(k, cpu)?.comm ?? "?", cpu);
    }

    /// <summary>The step of <paramref name="t"/> now (an explicit caller, as kzalloc() and kfree() have one).</summary>
    internal static KStep Now(KernelState k, TaskStruct? t) =>
        t is null ? Now(k) : new KStep(k.jiffies, t.comm, t.cpu);

    private static TaskStruct? Current(KernelState k, int cpu)
    {
        if (cpu >= 0)
        {
            return k.cpus[cpu].curr;
        }

        // A housekeeping CPU runs its first runnable kthread.
        foreach (TaskStruct t in k.housekeeping)
        {
            if (t.state == TaskState.Running && t.cpu == cpu)
            {
                return t;
            }
        }

        return null;
    }
}
