namespace Verify.Kernel.Memory.Litmus;

/// <summary>What an exhaustive search of one litmus test in one memory mode reached.</summary>
public sealed record LitmusResult(LitmusTest Test, MemoryMode Mode, IReadOnlySet<string> Found, long States, long Transitions)
{
    public IReadOnlySet<string> Expected => Test.Expected(Mode);

    public bool Matches => Found.SetEquals(Expected);

    public bool WeakFound => Found.Contains(Test.Weak);
}
