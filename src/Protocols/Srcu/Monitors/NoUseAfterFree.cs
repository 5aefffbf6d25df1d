using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.Srcu.Monitors;

/// <summary>
/// P-SR-S3: what SRCU protects is not used after it is freed. A reader that srcu_dereference()d a
/// memslots object inside its read-side critical section loads from it only before the updater,
/// whose synchronize_srcu_expedited() has returned, frees it. Judged on the data, so it holds the
/// memory model to account: under TSO or the LKMM a reader's lock-count store that other CPUs see
/// late lets the scan miss a reader that has already loaded the old pointer.
/// </summary>
public sealed class NoUseAfterFree : Monitor
{
    private readonly Dictionary<int, string> freed = [];

    [Start]
    [OnEventDoAction(typeof(MemslotsFreed), nameof(OnFree))]
    [OnEventDoAction(typeof(MemslotsRead), nameof(OnRead))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnFree(Event e)
    {
        var f = (MemslotsFreed)e;
        freed[f.Slots] = f.Updater;
    }

    private void OnRead(Event e)
    {
        var r = (MemslotsRead)e;
        if (freed.TryGetValue(r.Slots, out string? updater))
        {
            Assert(false,
                "P-SR-S3: {0} loaded slots{1}->generation (= {2}) inside its SRCU read-side critical section after {3} freed slots{1}: synchronize_srcu_expedited() returned while the reader still used the old set.",
                r.Task, r.Slots, r.Generation, updater);
        }
    }
}
