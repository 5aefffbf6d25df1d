using Verify.Actors;
using Verify.Specifications;

namespace Verify.Protocols.Qpw.Monitors;

/// <summary>P-QPW-L3: every FLUSHING_CACHED_CHARGE bit a drainer sets is eventually cleared. Hot while one is set.</summary>
public sealed class FlushingBitCleared : Monitor
{
    private int set;

    [Start]
    [Cold]
    [OnEventDoAction(typeof(FlushingBit), nameof(OnBit))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Clear : State
    {
    }

    [Hot]
    [OnEventDoAction(typeof(FlushingBit), nameof(OnBitWhileFlushing))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Flushing : State
    {
    }

    private void OnBit(Event e)
    {
        Update((FlushingBit)e);
        if (set != 0)
        {
            RaiseGotoStateEvent<Flushing>();
        }
    }

    private void OnBitWhileFlushing(Event e)
    {
        Update((FlushingBit)e);
        if (set == 0)
        {
            RaiseGotoStateEvent<Clear>();
        }
    }

    private void Update(FlushingBit b) => set = b.Set ? set | (1 << b.Cpu) : set & ~(1 << b.Cpu);
}
