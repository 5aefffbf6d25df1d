using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.VgicLpi.Monitors;

/// <summary>P-VG-S3: a release erases its own vgic_irq from the INTID's slot, and once every actor is done lpi_count equals the live entries.</summary>
public sealed class SlotIntegrity : Monitor
{
    [Start]
    [OnEventDoAction(typeof(LpiReleased), nameof(OnReleased))]
    [OnEventDoAction(typeof(LpisQuiesced), nameof(OnQuiesced))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnReleased(Event e)
    {
        var r = (LpiReleased)e;
        Assert(r.Erased == r.Irq,
            "P-VG-S3: the release of {0} erased {1} from its INTID's slot{2}.",
            r.Irq, r.Erased ?? "nothing", r.Erased is null ? " (another object or nobody had taken the slot)" : ", a newer object at the same INTID");
    }

    private void OnQuiesced(Event e)
    {
        var q = (LpisQuiesced)e;
        Assert(q.LpiCount == q.Entries, "P-VG-S3: lpi_count is {0} but {1} LPIs are live once every actor is done.", q.LpiCount, q.Entries);
    }
}
