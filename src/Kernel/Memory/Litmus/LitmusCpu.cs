using Verify.Actors;

namespace Verify.Kernel.Memory.Litmus;

/// <summary>
/// A CPU running one litmus thread, one statement per step, as the kernel substrate's CPUs do. A
/// statement is shared when the memory says it touched what other CPUs see, or when it is the
/// thread's last (the finished count is shared); nobody sends to a litmus CPU.
/// </summary>
[DeclaresSharedAccess]
internal sealed class LitmusCpu : StateMachine
{
    private LitmusMachine machine = null!;
    private LitmusOp[] code = [];
    private int cpu;
    private int pc;

    internal sealed class Setup(LitmusMachine machine, int cpu) : Event
    {
        internal LitmusMachine Machine { get; } = machine;

        internal int Cpu { get; } = cpu;
    }

    [Start]
    [OnEntry(nameof(OnSetup))]
    [OnEventDoAction(typeof(DefaultEvent), nameof(Step))]
    private sealed class Running : State
    {
    }

    private sealed class Finished : State
    {
    }

    // The first statement runs in the setup step: a step that only set fields would add states and nothing else.
    private void OnSetup(Event e)
    {
        var s = (Setup)e;
        machine = s.Machine;
        cpu = s.Cpu;
        code = machine.Test.Threads[cpu];
        Step();
    }

    private void Step()
    {
        LitmusOp op = code[pc++];
        Logger.WriteLine($"cpu{cpu}: {op}");
        long shared = machine.Memory.SharedAccesses;
        machine.Execute(cpu, op);
        if (pc == code.Length)
        {
            machine.Finished++;
            RaiseGotoStateEvent<Finished>();
            NoteSharedAccess();
        }
        else if (machine.Memory.SharedAccesses != shared)
        {
            NoteSharedAccess();
        }

        machine.Check();
    }
}
