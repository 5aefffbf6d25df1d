using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.ContextTracking.Monitors;

/// <summary>
/// P-CT-L3: each kernel entry and exit of cpu0 makes one atomic read-modify-write of its
/// context-tracking state, as mainline does without deferral; a second one (an extra atomic, or a
/// cmpxchg retried because a setter wrote the word) is the cost Nadav Amit asked about.
/// </summary>
public sealed class EntryAtomics : Monitor
{
    private int atomics;

    [Start]
    [OnEventDoAction(typeof(CtAtomic), nameof(OnAtomic))]
    [OnEventDoAction(typeof(TransitionDone), nameof(OnDone))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnAtomic(Event e) => atomics++;

    private void OnDone(Event e)
    {
        var d = (TransitionDone)e;
        if (atomics > 1)
        {
            Assert(false, "P-CT-L3: cpu{0}'s {1} made {2} atomic read-modify-writes of its context-tracking state; without deferral it makes one.", d.Cpu, d.Path, atomics);
        }

        atomics = 0;
    }
}
