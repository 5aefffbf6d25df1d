using Verify.Actors;
using Verify.Kernel.Lifetime;
using Verify.Specifications;

namespace Verify.Protocols.VgicLpi.Monitors;

/// <summary>Fails the run on the first report of one debugging facility, with the kernel's words.</summary>
public abstract class DebugReportMonitor : Monitor
{
    protected abstract DebugFacility Facility { get; }

    protected abstract string Tag { get; }

    [Start]
    [OnEventDoAction(typeof(DebugReport), nameof(OnReport))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnReport(Event e)
    {
        var r = (DebugReport)e;
        if (r.Facility == Facility)
        {
            Assert(false, "{0}: {1}", Tag, r.Message);
        }
    }
}

/// <summary>P-VG-S1: KASAN reports no use-after-free and no double free.</summary>
public sealed class NoUseAfterFree : DebugReportMonitor
{
    protected override DebugFacility Facility => DebugFacility.Kasan;

    protected override string Tag => "P-VG-S1";
}

/// <summary>P-VG-S2: refcount_t reports no addition on 0 and no underflow.</summary>
public sealed class NoGetFromZero : DebugReportMonitor
{
    protected override DebugFacility Facility => DebugFacility.Refcount;

    protected override string Tag => "P-VG-S2";
}

/// <summary>P-VG-S9: CONFIG_DEBUG_LIST reports no list corruption of an ap_list.</summary>
public sealed class ApListIntegrity : DebugReportMonitor
{
    protected override DebugFacility Facility => DebugFacility.ListDebug;

    protected override string Tag => "P-VG-S9";
}

/// <summary>P-VG-S5: lockdep reports no invalid wait context, no sleeping in atomic context, no lock held at the return to user space.</summary>
public sealed class LockClasses : DebugReportMonitor
{
    protected override DebugFacility Facility => DebugFacility.Lockdep;

    protected override string Tag => "P-VG-S5";
}
