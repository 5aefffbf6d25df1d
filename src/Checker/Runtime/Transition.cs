namespace Verify.Runtime;

internal enum TransitionKind : byte
{
    Do,
    Goto,
    Push,
    Defer,
    Ignore,
}

/// <summary>What a state does with one event type: an action, a goto or push, or defer/ignore.</summary>
internal sealed class Transition
{
    internal Transition(TransitionKind kind, ActionHandler? action, StateInfo? target)
    {
        Kind = kind;
        Action = action;
        Target = target;
    }

    internal TransitionKind Kind { get; }

    /// <summary>For Do: the action; for Goto: the optional action run after the exit action.</summary>
    internal ActionHandler? Action { get; }

    /// <summary>Goto/push target, resolved once every state of the machine exists.</summary>
    internal StateInfo? Target { get; set; }

    internal Type? TargetType { get; init; }

    /// <summary>Coverage slot counting the events this declaration handled, deferred or ignored; one per declaration.</summary>
    internal int Slot { get; } = CoverageSlots.Allocate(1);

    /// <summary>A pushed state inherits defer, ignore and do-action from the states below it, not goto or push.</summary>
    internal bool IsInheritable => Kind is TransitionKind.Do or TransitionKind.Defer or TransitionKind.Ignore;
}
