namespace Verify.Kernel.Memory.Litmus;

/// <summary>
/// What exhaustive searches of one litmus test in one memory mode reached: outcomes, states and
/// transitions without reduction, and outcomes and states with partial-order reduction.
/// </summary>
public sealed record LitmusResult(LitmusTest Test, MemoryMode Mode, IReadOnlySet<string> Found, long States, long Transitions, IReadOnlySet<string> ReducedFound, long ReducedStates)
{
    public IReadOnlySet<string> Expected => Test.Expected(Mode);

    /// <summary>Both searches reached exactly the expected outcomes (reduction keeps every terminal state).</summary>
    public bool Matches => Found.SetEquals(Expected) && ReducedFound.SetEquals(Found);

    public bool WeakFound => Found.Contains(Test.Weak);
}
