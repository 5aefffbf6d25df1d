using Verify.Specifications;

namespace Verify.Kernel.Lifetime;

/// <summary>
/// Object <c>Object</c> was given back: kfree() freed it, or kfree_rcu() queued it to be freed
/// after a grace period (<c>ViaRcu</c>), which for a leak check is as good.
/// </summary>
public sealed class SlabFreed(string obj, bool viaRcu) : Monitor.Event
{
    public string Object { get; } = obj;

    public bool ViaRcu { get; } = viaRcu;
}
