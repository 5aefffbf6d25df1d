using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.ContextTracking.Monitors;

/// <summary>
/// P-CT-L3: each kernel entry and exit of an isolated CPU makes one atomic read-modify-write of its
/// context-tracking state, as mainline does without deferral; a second one (an extra atomic, or a
/// cmpxchg retried because a setter wrote the word) is the cost Nadav Amit asked about.
/// </summary>
public sealed class EntryAtomics : Monitor
{
    // Per isolated CPU: its atomics in the transition under way.
    private readonly Dictionary<int, int> atomics = [];

    [Start]
    [OnEventDoAction(typeof(CtAtomic), nameof(OnAtomic))]
    [OnEventDoAction(typeof(TransitionDone), nameof(OnDone))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnAtomic(Event e)
    {
        int cpu = ((CtAtomic)e).Cpu;
        atomics[cpu] = atomics.GetValueOrDefault(cpu) + 1;
    }

    private void OnDone(Event e)
    {
        var d = (TransitionDone)e;
        int made = atomics.GetValueOrDefault(d.Cpu);
        if (made > 1)
        {
            Assert(false, "P-CT-L3: cpu{0}'s {1} made {2} atomic read-modify-writes of its context-tracking state; without deferral it makes one.", d.Cpu, d.Path, made);
        }

        atomics[d.Cpu] = 0;
    }
}
