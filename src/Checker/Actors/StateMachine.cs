using Verify.Runtime;

namespace Verify.Actors;

/// <summary>
/// An actor whose handlers are declared per state, with a stack of pushed states.
/// Nested <see cref="State"/> classes are the states; exactly one carries <see cref="StartAttribute"/>.
/// </summary>
public abstract class StateMachine : Actor
{
    private readonly List<StateInfo> stack = new(2);

    /// <summary>The type of the current (top) state.</summary>
    protected Type CurrentState => stack.Count > 0 ? stack[^1].Type : typeof(State);

    /// <summary>The name of the current state, relative to the machine (<c>Init</c>, <c>Group.Init</c>), as Coyote's <c>CurrentStateName</c>.</summary>
    protected internal string CurrentStateName => stack.Count > 0 ? stack[^1].Name : string.Empty;

    internal StateMachineInfo Machine => Info.Machine!;

    internal IReadOnlyList<StateInfo> StateStack => stack;

    /// <summary>The stack itself, for stateful search to hash and snapshot.</summary>
    internal List<StateInfo> StackList => stack;

    internal override string? StateName => stack.Count == 0 ? "(not started)" : stack[^1].Name;

    /// <summary>Raises an event, handled before anything in the inbox when the current action ends.</summary>
    protected void RaiseEvent(Event e) => SetRaised(e);

    protected void RaiseGotoStateEvent<TState>()
        where TState : State => SetRaised(new GotoStateEvent(typeof(TState)));

    protected void RaiseGotoStateEvent(Type state) => SetRaised(new GotoStateEvent(state));

    protected void RaisePushStateEvent<TState>()
        where TState : State => SetRaised(new PushStateEvent(typeof(TState)));

    protected void RaisePushStateEvent(Type state) => SetRaised(new PushStateEvent(state));

    protected void RaisePopStateEvent() => SetRaised(PopStateEvent.Instance);

    /// <summary>Enters the start state once OnInitializeAsync has completed; what it raised is handled after the entry action.</summary>
    internal override void AfterInitializeCallback()
    {
        StateInfo start = Machine.Start;
        stack.Add(start);
        Runtime.Coverage?.Hit(start.EnteredSlot);
        Runtime.Log?.Entered(this, start);
        if (start.Entry is not null && !InvokeAction(start.Entry, Initial.Event))
        {
            return;
        }

        Event? raised = Raised;
        Raised = null;
        if (raised is not null)
        {
            HandleEvent(raised);
        }
    }

    internal override void HandleEvent(Event e)
    {
        Event? current = e;
        while (current is not null && HandleOne(current))
        {
            current = Raised;
            Raised = null;
        }
    }

    /// <summary>Handles one event; false when processing must stop (suspended, halting, or a bug).</summary>
    private bool HandleOne(Event e)
    {
        switch (e)
        {
            case GotoStateEvent g:
                return GotoState(Machine.Get(g.State, Info.ShortName), null, null);
            case PushStateEvent p:
                return PushState(Machine.Get(p.State, Info.ShortName), null);
            case PopStateEvent:
                return PopState();
        }

        while (true)
        {
            Transition? t = Resolve(e.GetType());
            if (t is null)
            {
                if (e is HaltEvent)
                {
                    HaltPending = true;
                    return false;
                }

                if (stack.Count > 1)
                {
                    // No state at this level handles it: pop until one does (Coyote's rule).
                    if (!PopState())
                    {
                        return false;
                    }

                    continue;
                }

                return Unhandled(e);
            }

            Runtime.Coverage?.Hit(t.Slot);
            switch (t.Kind)
            {
                case TransitionKind.Do:
                    return InvokeAction(t.Action!, e);
                case TransitionKind.Goto:
                    return GotoState(t.Target!, e, t.Action);
                case TransitionKind.Push:
                    return PushState(t.Target!, e);
                case TransitionKind.Ignore:
                    NoteIgnored(e);
                    return true;
                default:
                    Runtime.ReportBug(BugKind.Assertion,
                        $"{Id} raised {Describe(e)}, which {StateName} defers; a raised event cannot be deferred.");
                    return false;
            }
        }
    }

    private bool GotoState(StateInfo target, Event? e, ActionHandler? transitionAction)
    {
        StateInfo old = stack[^1];
        Runtime.Log?.Leaving(this, old, target);
        if (!RunExit(old, e))
        {
            return false;
        }

        if (transitionAction is not null && !InvokeAction(transitionAction, e))
        {
            return false;
        }

        stack[^1] = target;
        if (Runtime.Coverage is CoverageCounter coverage)
        {
            coverage.Hit(target.EnteredSlot);
            coverage.Hit(Machine.PairSlot(0, old, target));
        }

        Runtime.Log?.Goto(this, old, target);
        return target.Entry is null || InvokeAction(target.Entry, e);
    }

    private bool PushState(StateInfo target, Event? e)
    {
        if (Runtime.Coverage is CoverageCounter coverage)
        {
            coverage.Hit(target.EnteredSlot);
            coverage.Hit(Machine.PairSlot(1, stack[^1], target));
        }

        StateInfo from = stack[^1];
        stack.Add(target);
        Runtime.Log?.Pushed(this, from, target);
        return target.Entry is null || InvokeAction(target.Entry, e);
    }

    private bool PopState()
    {
        if (stack.Count == 1)
        {
            Runtime.ReportBug(BugKind.Assertion, $"{Id} popped its only state {StateName}; pop needs a matching push.");
            return false;
        }

        StateInfo top = stack[^1];
        Runtime.Log?.Leaving(this, top, null);
        if (!RunExit(top, null))
        {
            return false;
        }

        stack.RemoveAt(stack.Count - 1);
        Runtime.Coverage?.Hit(Machine.PairSlot(2, top, stack[^1]));
        Runtime.Log?.Popped(this, top, stack[^1]);
        return true;
    }

    private bool RunExit(StateInfo state, Event? e)
    {
        if (state.Exit is null)
        {
            return true;
        }

        if (!InvokeAction(state.Exit, e))
        {
            Runtime.ReportBug(BugKind.UncontrolledAwait, $"{Id}.{state.Exit.Name} is an exit action; exit actions cannot wait.");
            return false;
        }

        if (Raised is not null)
        {
            Runtime.ReportBug(BugKind.Assertion,
                $"{Id}.{state.Exit.Name} raised {Describe(Raised)}; exit actions cannot raise events.");
            return false;
        }

        return !HaltPending;
    }

    internal override Transition? Resolve(Type eventType)
    {
        Transition? t = ResolveOnStack(eventType);
        return t is null && Info.HasClassHandlers ? Info.Handlers.Own(eventType) : t;
    }

    private Transition? ResolveOnStack(Type eventType)
    {
        int k = stack.Count - 1;
        if (k < 0)
        {
            return null;
        }

        Transition? own = stack[k].Own(eventType);
        if (own is not null || k == 0)
        {
            return own;
        }

        // The nearest state below that declares the event decides; only do/defer/ignore are inherited.
        for (int level = k - 1; level >= 0; level--)
        {
            Transition? t = stack[level].Own(eventType);
            if (t is not null)
            {
                return t.IsInheritable ? t : null;
            }
        }

        return null;
    }

    internal override bool MayDeferOrIgnore()
    {
        for (int i = 0; i < stack.Count; i++)
        {
            if (stack[i].HasDeferOrIgnore)
            {
                return true;
            }
        }

        return false;
    }

    internal override bool HandlesDefaultNow()
    {
        if (stack.Count == 1 && !Info.HasClassHandlers)
        {
            return stack[0].HandlesDefault;
        }

        Transition? t = Resolve(typeof(DefaultEvent));
        return t is not null && t.Kind is TransitionKind.Do or TransitionKind.Goto or TransitionKind.Push;
    }

    /// <summary>A state of the machine: declare it as a nested class deriving from this one.</summary>
    public abstract class State
    {
    }

    /// <summary>Groups nested states under one name; it has no behaviour of its own.</summary>
    public abstract class StateGroup
    {
    }

    /// <summary>The state the machine starts in.</summary>
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class StartAttribute : Attribute, IStartAttribute
    {
    }

    [AttributeUsage(AttributeTargets.Class)]
    public sealed class OnEntryAttribute(string actionName) : Attribute, IEntryAttribute
    {
        public string Action { get; } = actionName;
    }

    [AttributeUsage(AttributeTargets.Class)]
    public sealed class OnExitAttribute(string actionName) : Attribute, IExitAttribute
    {
        public string Action { get; } = actionName;
    }

    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
    public sealed class OnEventGotoStateAttribute(Type eventType, Type stateType, string? actionName = null) : Attribute, IGotoAttribute
    {
        public Type Event { get; } = eventType;

        public Type State { get; } = stateType;

        public string? Action { get; } = actionName;
    }

    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
    public sealed class OnEventPushStateAttribute(Type eventType, Type stateType) : Attribute, IPushAttribute
    {
        public Type Event { get; } = eventType;

        public Type State { get; } = stateType;
    }

    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
    public sealed class OnEventDoActionAttribute(Type eventType, string actionName) : Attribute, IDoAttribute
    {
        public Type Event { get; } = eventType;

        public string Action { get; } = actionName;
    }

    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
    public sealed class DeferEventsAttribute(params Type[] eventTypes) : Attribute, IDeferAttribute
    {
        public Type[] Events { get; } = eventTypes;
    }

    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
    public sealed class IgnoreEventsAttribute(params Type[] eventTypes) : Attribute, IIgnoreAttribute
    {
        public Type[] Events { get; } = eventTypes;
    }
}

/// <summary>Raised by RaiseGotoStateEvent: go to <see cref="State"/> without an event.</summary>
internal sealed class GotoStateEvent(Type state) : Event
{
    internal Type State { get; } = state;
}

internal sealed class PushStateEvent(Type state) : Event
{
    internal Type State { get; } = state;
}

internal sealed class PopStateEvent : Event
{
    internal static PopStateEvent Instance { get; } = new();
}
