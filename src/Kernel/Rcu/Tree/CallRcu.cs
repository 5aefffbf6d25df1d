using Verify.Specifications;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>call_rcu() queued callback <c>Callback</c>.</summary>
public sealed class CallRcu(int callback) : Monitor.Event
{
    public int Callback { get; } = callback;
}
