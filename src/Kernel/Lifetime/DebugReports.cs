using Verify.Kernel.Machine;
using Verify.Specifications;

namespace Verify.Kernel.Lifetime;

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
