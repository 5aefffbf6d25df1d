namespace Verify.Protocols.ContextTracking.Monitors;

/// <summary>
/// P-CT-S1: once a sender's on_each_cpu_cond(cond, do_sync_core) for version v of a site has
/// returned, having IPI'd each isolated CPU or deferred its sync, no isolated CPU executes that site at a version
/// older than v outside the entry danger zone. (While a poke is still being synced, the INT3
/// protocol makes an old version safe to run; after the sync returns, the sender assumes it is gone.)
/// </summary>
public sealed class NoStaleText : StaleTextMonitor
{
    protected override bool InDangerZone => false;

    protected override string Message =>
        "P-CT-S1: cpu{0} executed {1} at version {2} outside the danger zone, after the sender's sync of version {3} returned: stale text.";
}
