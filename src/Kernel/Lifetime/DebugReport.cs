using Verify.Kernel.Machine;
using Verify.Specifications;

namespace Verify.Kernel.Lifetime;

/// <summary>Which debugging facility printed a report: KASAN, refcount_t's saturation WARNs, or lockdep.</summary>
public enum DebugFacility
{
    /// <summary>KASAN: slab-use-after-free, double-free.</summary>
    Kasan,

    /// <summary>refcount_warn_saturate(): addition on 0, underflow, decrement hit 0.</summary>
    Refcount,

    /// <summary>lockdep and the scheduler's debug checks: invalid wait context, sleeping in atomic context, lock held at the return to user space.</summary>
    Lockdep,
}

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

/// <summary>Where the substrate's debugging facilities send a report: a failed assertion, or an observation the run goes on after.</summary>
public static class DebugReports
{
    /// <summary>Reports <paramref name="format"/> unless <paramref name="ok"/>: fails the run, or with <see cref="KernelConfig.ObserveDebugReports"/> tells the observers and returns.</summary>
    public static void Check(KernelState? k, bool ok, DebugFacility facility, string format, params object[] args)
    {
        if (ok)
        {
            return;
        }

        if (k is not null && k.config.ObserveDebugReports)
        {
            k.Observe(new DebugReport(facility, string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args)));
            return;
        }

        Specification.Assert(false, format, args);
    }
}
