using Verify.Actors;
using Verify.Kernel.Machine;
using Verify.Specifications;

namespace Verify.Kernel.Lifetime;

/// <summary>Feeds the slab and refcount observations to <see cref="KmemLeak"/> (ignored when it is not registered).</summary>
public sealed class LifetimeObserver : IKernelObserver
{
    public static LifetimeObserver Instance { get; } = new();

    public void Observe(Monitor.Event e)
    {
        if (e is RefcountZero or SlabFreed)
        {
            Specification.Monitor<KmemLeak>(e);
        }
    }
}
