using Verify.Actors;

namespace Verify.Runtime;

/// <summary>One state of a state machine or monitor, with its handlers resolved once per type.</summary>
internal sealed class StateInfo
{
    private readonly Dictionary<Type, Transition> handlers = [];

    internal StateInfo(Type type, string name)
    {
        Type = type;
        Name = name;
    }

    internal Type Type { get; }

    /// <summary>Name relative to the machine, e.g. <c>Init</c> or <c>Group.Init</c>.</summary>
    internal string Name { get; }

    /// <summary>Dense index within the machine, used in state hashes and coverage.</summary>
    internal int Index { get; set; }

    /// <summary>The state type's stable hash for stateful search; 0 until the first capture computes it.</summary>
    internal ulong HashToken { get; set; }

    /// <summary>Coverage slot counting entries into this state (see <see cref="CoverageSlots"/>).</summary>
    internal int EnteredSlot { get; } = CoverageSlots.Allocate(1);

    internal ActionHandler? Entry { get; set; }

    internal ActionHandler? Exit { get; set; }

    internal Transition? WildCard { get; set; }

    internal bool HasDeferOrIgnore { get; set; }

    internal bool IsHot { get; set; }

    internal bool IsCold { get; set; }

    internal bool HandlesDefault { get; private set; }

    internal IReadOnlyDictionary<Type, Transition> Handlers => handlers;

    internal void Add(Type eventType, Transition t, string machine)
    {
        if (eventType == typeof(WildCardEvent))
        {
            if (WildCard is not null)
            {
                throw new ModelDefinitionException($"{machine}.{Name} declares more than one wildcard handler.");
            }

            WildCard = t;
        }
        else if (!handlers.TryAdd(eventType, t))
        {
            throw new ModelDefinitionException(
                $"{machine}.{Name} declares more than one handler for {eventType.Name}.");
        }

        HasDeferOrIgnore |= t.Kind is TransitionKind.Defer or TransitionKind.Ignore;
        // Only a handler lets the default event fire; ignoring or deferring it must not keep the machine enabled.
        HandlesDefault |= eventType == typeof(DefaultEvent) && t.Kind is TransitionKind.Do or TransitionKind.Goto or TransitionKind.Push;
    }

    /// <summary>This state's own handler: specific beats wildcard; wildcard never matches halt or default.</summary>
    internal Transition? Own(Type eventType)
    {
        if (handlers.TryGetValue(eventType, out Transition? t))
        {
            return t;
        }

        return eventType == typeof(HaltEvent) || eventType == typeof(DefaultEvent) ? null : WildCard;
    }

    public override string ToString() => Name;
}
