using Verify.Protocols.ContextTracking.Monitors;
using Verify.Specifications;

namespace Verify.Protocols.ContextTracking;

/// <summary>Feeds the model's observations to the context-tracking monitors (unregistered ones ignore them) and to a statistics tally.</summary>
internal static class CtObserver
{
    internal static void Observe(Monitor.Event e, ContextTrackingStatistics? statistics)
    {
        if (statistics is not null)
        {
            statistics.Observe(e);
            return;
        }

        Specification.Monitor<NoStaleText>(e);
        Specification.Monitor<Ordering>(e);
        Specification.Monitor<NoLostWork>(e);
        Specification.Monitor<DangerZone>(e);
        Specification.Monitor<NoStaleTranslation>(e);
        Specification.Monitor<NoNoise>(e);
        Specification.Monitor<BoundedRetry>(e);
        Specification.Monitor<EntryAtomics>(e);
    }
}
