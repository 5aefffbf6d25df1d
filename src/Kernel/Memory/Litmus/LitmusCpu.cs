using Verify.Actors;

namespace Verify.Kernel.Memory.Litmus;

/// <summary>A CPU running one litmus thread, one statement per step, as the kernel substrate's CPUs do.</summary>
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
        machine.Execute(cpu, op);
        if (pc == code.Length)
        {
            machine.Finished++;
            RaiseGotoStateEvent<Finished>();
        }

        machine.Check();
    }
}
