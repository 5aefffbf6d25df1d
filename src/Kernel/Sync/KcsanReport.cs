using Verify.Specifications;

namespace Verify.Kernel.Sync;

/// <summary>KCSAN reported a race (its splat's first line, with who did what).</summary>
public sealed class KcsanReport(string message) : Monitor.Event
{
    public string Message { get; } = message;
}
