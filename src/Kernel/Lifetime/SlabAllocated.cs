using Verify.Specifications;

namespace Verify.Kernel.Lifetime;

/// <summary>kzalloc() returned object <c>Object</c>.</summary>
public sealed class SlabAllocated(string obj) : Monitor.Event
{
    public string Object { get; } = obj;
}
