using Verify.Actors;

namespace Kernel.Tests.Litmus;

/// <summary>A CPU running a C# iterator, one statement per step, as the kernel substrate's CPUs run their tasks.</summary>
internal sealed class StatementCpu : StateMachine
{
    private Board board = null!;
    private IEnumerator<string> code = null!;

    internal sealed class Setup(Board board, IEnumerator<string> code) : Event
    {
        internal Board Board { get; } = board;

        internal IEnumerator<string> Code { get; } = code;
    }

    [Start]
    [OnEntry(nameof(OnSetup))]
    [OnEventDoAction(typeof(DefaultEvent), nameof(Step))]
    private sealed class Running : State
    {
    }

    private sealed class Done : State
    {
    }

    private void OnSetup(Event e)
    {
        var s = (Setup)e;
        board = s.Board;
        code = s.Code;
        Step();
    }

    private void Step()
    {
        if (code.MoveNext())
        {
            Logger.WriteLine($"{Id}: {code.Current}");
        }
        else
        {
            board.Running--;
            RaiseGotoStateEvent<Done>();
        }

        board.Check();
    }
}
