using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.VgicLpi.Monitors;

/// <summary>
/// P-VG-S8: a lockless lookup that finds a vgic_irq sees it initialised. kref_get_unless_zero() on
/// it fails only once its count has reached zero (not on the zero kzalloc() left before
/// kref_init()), and the intid loaded through it is the one vgic_add_lpi() stored.
/// </summary>
public sealed class Publication : Monitor
{
    [Start]
    [OnEventDoAction(typeof(LpiFieldRead), nameof(OnRead))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnRead(Event e)
    {
        var r = (LpiFieldRead)e;
        if (r.Field == "refcount")
        {
            Assert(r.Seen != 0 || r.Actual == 0,
                "P-VG-S8: {0}'s kref_get_unless_zero({1}) read a count of 0 on a live LPI (its count is {2}): the lookup saw the pointer but not kref_init()'s store, and returned NULL for a mapped INTID.",
                r.Task, r.Irq, r.Actual);
            return;
        }

        Assert(r.Seen == r.Actual,
            "P-VG-S8: {0} loaded {1}->intid = {2}, not {3}: the lookup saw the pointer but not the store that initialised the intid.",
            r.Task, r.Irq, r.Seen, r.Actual);
    }
}
