using Verify.Actors;

namespace Verify.Kernel.Memory;

/// <summary>
/// The store buffer of one CPU under TSO, as an actor: each of its steps moves the oldest buffered
/// store to memory. It is enabled only while the buffer holds a store, so when a buffered store
/// reaches memory is a scheduling decision the strategies and the stateful search explore, and a
/// run ends (a terminal state) only with every buffer empty. Every step after its setup is shared:
/// a flush writes memory other CPUs read, and going to sleep changes whether the CPU's next store
/// sends a wake-up. Its setup touches nothing, and nobody sends to it while it drains.
/// </summary>
[DeclaresSharedAccess]
internal sealed class StoreBufferFlusher : StateMachine
{
    private TsoMemory memory = null!;
    private int cpu;

    internal sealed class Setup(TsoMemory memory, int cpu) : Event
    {
        internal TsoMemory Memory { get; } = memory;

        internal int Cpu { get; } = cpu;
    }

    /// <summary>Sent by the CPU when it stores into the buffer while this actor sleeps.</summary>
    internal sealed class StoreBuffered : Event
    {
        internal static readonly StoreBuffered Instance = new();
    }

    [Start]
    [OnEntry(nameof(OnSetup))]
    [OnEventDoAction(typeof(StoreBuffered), nameof(Flush))]
    private sealed class Asleep : State
    {
    }

    [OnEventDoAction(typeof(DefaultEvent), nameof(Flush))]
    [OnEventDoAction(typeof(StoreBuffered), nameof(Flush))]
    private sealed class Draining : State
    {
    }

    // Runs again on each return to Asleep, with no setup event then.
    private void OnSetup(Event e)
    {
        if (e is Setup s)
        {
            memory = s.Memory;
            cpu = s.Cpu;
        }
    }

    // A CPU's smp_mb() may have drained the buffer since the wakeup; then this step only goes back to sleep.
    private void Flush()
    {
        NoteSharedAccess();
        bool more = memory.FlushOne(cpu);
        bool draining = CurrentState == typeof(Draining);
        if (more && !draining)
        {
            RaiseGotoStateEvent<Draining>();
        }
        else if (!more && draining)
        {
            RaiseGotoStateEvent<Asleep>();
        }
    }
}
