namespace Verify.Protocols.ContextTracking.Monitors;

/// <summary>
/// P-CT-S4: entry code before ct_work_flush() (the danger zone) never executes a site at a version
/// older than one whose sync has returned: a site entry code runs must be patched with an IPI to
/// every CPU, since a deferred sync_core() comes only after that code.
/// </summary>
public sealed class DangerZone : StaleTextMonitor
{
    protected override bool InDangerZone => true;

    protected override string Message =>
        "P-CT-S4: entry code on cpu{0}, before ct_work_flush(), executed {1} at version {2}; the sender's sync of version {3} had returned without an IPI to it.";
}
