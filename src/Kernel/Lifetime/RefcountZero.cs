using Verify.Specifications;

namespace Verify.Kernel.Lifetime;

/// <summary>A reference count of object <c>Object</c> dropped to zero.</summary>
public sealed class RefcountZero(string obj) : Monitor.Event
{
    public string Object { get; } = obj;
}
