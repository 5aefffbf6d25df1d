using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.ContextTracking.Monitors;

/// <summary>
/// P-CT-S3: a work bit a setter's successful read-modify-write set is taken by cpu0's next entry
/// (ct_kernel_enter_state()'s value, or RFC v1's exchange); the exit's cmpxchg may clear only bits
/// an entry has taken since they were set.
/// </summary>
public sealed class NoLostWork : Monitor
{
    private int unflushed;

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
            unflushed |= a.BitsAdded;
        }
    }

    private void OnTaken(Event e) => unflushed &= ~((WorkTaken)e).Bits;

    private void OnCleared(Event e)
    {
        var c = (WorkCleared)e;
        int lost = c.Bits & unflushed;
        if (lost != 0)
        {
            Assert(false,
                "P-CT-S3: cpu{0}'s exit cleared work 0x{1:x} that a setter set after the last entry took the work: the deferred work is lost.",
                c.Cpu, lost);
        }
    }
}
