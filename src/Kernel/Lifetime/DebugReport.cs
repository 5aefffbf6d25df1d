using Verify.Kernel.Machine;
using Verify.Specifications;

namespace Verify.Kernel.Lifetime;

/// <summary>
/// A report a debugging facility printed, observed instead of ending the run when
/// <see cref="KernelConfig.ObserveDebugReports"/> is set: the kernel prints it and goes on (KASAN in
/// multi-shot mode, a WARN, a lockdep splat), and a property's monitor decides whether it matters.
/// </summary>
public sealed class DebugReport(DebugFacility facility, string message) : Monitor.Event
{
    public DebugFacility Facility { get; } = facility;

    public string Message { get; } = message;
}
