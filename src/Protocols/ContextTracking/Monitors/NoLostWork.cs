using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.ContextTracking.Monitors;

/// <summary>
/// P-CT-S3: a work bit a setter's successful read-modify-write set on a CPU is taken by that CPU's next entry
/// (ct_kernel_enter_state()'s value, or RFC v1's exchange); the exit's cmpxchg may clear only bits
/// an entry has taken since they were set.
/// </summary>
public sealed class NoLostWork : Monitor
{
    // Per isolated CPU: the bits set on its word and not yet taken by an entry.
    private readonly Dictionary<int, int> unflushed = [];

    [Start]
    [OnEventDoAction(typeof(SetterAttempt), nameof(OnAttempt))]
    [OnEventDoAction(typeof(WorkTaken), nameof(OnTaken))]
    [OnEventDoAction(typeof(WorkCleared), nameof(OnCleared))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnAttempt(Event e)
    {
        var a = (SetterAttempt)e;
        if (a.Success)
        {
            unflushed[a.Cpu] = unflushed.GetValueOrDefault(a.Cpu) | a.BitsAdded;
        }
    }

    private void OnTaken(Event e)
    {
        var t = (WorkTaken)e;
        unflushed[t.Cpu] = unflushed.GetValueOrDefault(t.Cpu) & ~t.Bits;
    }

    private void OnCleared(Event e)
    {
        var c = (WorkCleared)e;
        int lost = c.Bits & unflushed.GetValueOrDefault(c.Cpu);
        if (lost != 0)
        {
            Assert(false,
                "P-CT-S3: cpu{0}'s exit cleared work 0x{1:x} that a setter set after the last entry took the work: the deferred work is lost.",
                c.Cpu, lost);
        }
    }
}
