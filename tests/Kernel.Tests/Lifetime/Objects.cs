using Kernel.Tests.Sync;
using Verify.Actors;
using Verify.Kernel.Lifetime;
using Verify.Kernel.Machine;
using Verify.Specifications;

namespace Kernel.Tests.Lifetime;

/// <summary>A heap object with a kref and one data field, as a vgic_irq has its refcount and its state.</summary>
internal sealed class Obj : SlabObject
{
    public Obj()
        : base("test_obj")
    {
        refcount = new Kref(this);
    }

    public Kref refcount { get; }

    public int data { get => Load(field); set => field = Store(value); }
}

/// <summary>An RCU-protected global pointer (gp), published and read by plain shared accesses.</summary>
internal sealed class Gp
{
    public Obj? p { get => Access.Shared(field); set => field = Access.Shared(value); }
}

/// <summary>Fails the run when rcu_do_batch() frees an object: shows a grace period completes within the bound.</summary>
internal sealed class FailOnRcuFree : IKernelObserver
{
    public void Observe(Monitor.Event e)
    {
        if (e is SlabFreed { ViaRcu: false } f)
        {
            Specification.Assert(false, "{0} was freed by rcu_do_batch() within the bound.", f.Object);
        }
    }
}

internal static class Lab
{

    /// <summary>Boots <paramref name="tasks"/> on a machine of <paramref name="maxTicks"/> jiffies with <paramref name="setup"/> run first; allocations do not fail unless asked.</summary>
    internal static KernelState Boot(IActorRuntime r, int maxTicks, Action<KernelState>? setup, params Verify.Kernel.Sched.TaskStruct[] tasks) =>
        TinyMachine.Boot(r, new KernelConfig { Cpus = tasks.Length, MaxTicks = maxTicks }, k =>
        {
            Heap.Of(k).may_fail = false;
            setup?.Invoke(k);
        }, tasks);

    /// <summary>An object that exists when the scenario starts, with one reference.</summary>
    internal static Obj Allocated(KernelState k)
    {
        Obj o = Slab.Kzalloc<Obj>(k, null, Gfp.GFP_KERNEL | Gfp.__GFP_NOFAIL)!;
        o.refcount.Init();
        return o;
    }

    /// <summary>Registers the leak monitor and feeds it.</summary>
    internal static void CheckLeaks(IActorRuntime r, KernelState k)
    {
        r.RegisterMonitor<KmemLeak>();
        k.AddObserver(LifetimeObserver.Instance);
    }
}
