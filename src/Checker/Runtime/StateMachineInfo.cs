using System.Reflection;

namespace Verify.Runtime;

/// <summary>The states of a state machine or monitor type, their handlers and the start state.</summary>
internal sealed class StateMachineInfo
{
    private StateMachineInfo(Dictionary<Type, StateInfo> states, StateInfo start)
    {
        States = states;
        Start = start;
        pairBase = CoverageSlots.Allocate(3 * states.Count * states.Count);
    }

    // Coverage slots of goto, push and pop between every two states: 3 * n * n from here.
    private readonly int pairBase;

    internal Dictionary<Type, StateInfo> States { get; }

    internal StateInfo Start { get; }

    /// <summary>Some state is [Hot]: a monitor of this type states a liveness property.</summary>
    internal bool HasHotState => States.Values.Any(s => s.IsHot);

    /// <summary>The monitor type's coverage unit; actor types keep theirs in <see cref="ActorInfo"/>.</summary>
    internal CoverageUnit? Unit { get; set; }

    /// <summary>Coverage slot of a transition: <paramref name="kind"/> 0 goto, 1 push, 2 pop.</summary>
    internal int PairSlot(int kind, StateInfo from, StateInfo to)
    {
        int n = States.Count;
        return pairBase + (((kind * n) + from.Index) * n) + to.Index;
    }

    internal StateInfo Get(Type stateType, string machine) =>
        States.TryGetValue(stateType, out StateInfo? s)
            ? s
            : throw new ModelDefinitionException($"{stateType.Name} is not a state of {machine}.");

    internal static StateMachineInfo Build(Type machineType, Type machineBase, Type stateBase, Type groupBase)
    {
        string machine = Actors.ActorId.ShortName(Actors.ActorId.ReadableName(machineType));
        var found = new List<(Type Type, string Name)>();
        for (Type? t = machineType; t is not null && t != machineBase; t = t.BaseType)
        {
            Collect(t, string.Empty, stateBase, groupBase, found);
        }

        var states = new Dictionary<Type, StateInfo>();
        foreach ((Type type, string name) in found)
        {
            states.TryAdd(type, new StateInfo(type, name) { Index = states.Count });
        }

        StateInfo? start = null;
        foreach (StateInfo s in states.Values)
        {
            object[] own = s.Type.GetCustomAttributes(inherit: false);
            if (own.OfType<IStartAttribute>().Any())
            {
                if (start is not null)
                {
                    throw new ModelDefinitionException($"{machine} has more than one [Start] state: {start.Name} and {s.Name}.");
                }

                start = s;
            }

            Configure(s, machineType, machineBase, stateBase, machine);
        }

        if (start is null)
        {
            throw new ModelDefinitionException($"{machine} has no [Start] state.");
        }

        var info = new StateMachineInfo(states, start);
        foreach (StateInfo s in states.Values)
        {
            foreach (Transition t in s.Handlers.Values.Append(s.WildCard).OfType<Transition>())
            {
                if (t.Kind is TransitionKind.Goto or TransitionKind.Push)
                {
                    t.Target = info.Get(t.TargetType!, machine);
                }
            }
        }

        return info;
    }

    private static void Collect(Type container, string prefix, Type stateBase, Type groupBase, List<(Type, string)> found)
    {
        foreach (Type open in container.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic))
        {
            Type nested = Close(open, container);
            if (nested.IsAbstract && !groupBase.IsAssignableFrom(nested))
            {
                continue;
            }

            if (stateBase.IsAssignableFrom(nested))
            {
                found.Add((nested, prefix + nested.Name));
            }
            else if (groupBase.IsAssignableFrom(nested))
            {
                Collect(nested, prefix + nested.Name + ".", stateBase, groupBase, found);
            }
        }
    }

    /// <summary>
    /// Reflection lists the states of a generic machine <c>M&lt;T&gt;</c> as open definitions
    /// (<c>M`1+Active</c>); the machine's code names the closed ones (<c>M&lt;int&gt;.Active</c>), so close them.
    /// </summary>
    private static Type Close(Type nested, Type container)
    {
        if (!nested.IsGenericTypeDefinition || !container.IsConstructedGenericType)
        {
            return nested;
        }

        Type[] args = container.GetGenericArguments();
        return nested.GetGenericArguments().Length == args.Length ? nested.MakeGenericType(args) : nested;
    }

    private static void Configure(StateInfo s, Type machineType, Type machineBase, Type stateBase, string machine)
    {
        // A state inherits the declarations of the state classes it derives from; the most derived wins.
        var seen = new HashSet<Type>();
        bool seenWildCard = false;
        for (Type? t = s.Type; t is not null && t != stateBase; t = t.BaseType)
        {
            object[] attrs = t.GetCustomAttributes(inherit: false);
            foreach (object a in attrs)
            {
                switch (a)
                {
                    case IEntryAttribute e when s.Entry is null:
                        s.Entry = ActionHandler.Create(machineType, e.Action, machineBase);
                        break;
                    case IExitAttribute x when s.Exit is null:
                        s.Exit = ActionHandler.Create(machineType, x.Action, machineBase);
                        break;
                    case IHotAttribute:
                        s.IsHot = true;
                        break;
                    case IColdAttribute:
                        s.IsCold = true;
                        break;
                }
            }

            foreach (object a in attrs)
            {
                switch (a)
                {
                    case IGotoAttribute g:
                        Add(s, g.Event, Goto(g, machineType, machineBase), seen, ref seenWildCard, machine);
                        break;
                    case IPushAttribute p:
                        Add(s, p.Event, new Transition(TransitionKind.Push, null, null) { TargetType = p.State }, seen, ref seenWildCard, machine);
                        break;
                    case IDoAttribute d:
                        Add(s, d.Event, new Transition(TransitionKind.Do, ActionHandler.Create(machineType, d.Action, machineBase), null), seen, ref seenWildCard, machine);
                        break;
                    case IDeferAttribute df:
                        foreach (Type e in df.Events)
                        {
                            Add(s, e, new Transition(TransitionKind.Defer, null, null), seen, ref seenWildCard, machine);
                        }

                        break;
                    case IIgnoreAttribute ig:
                        foreach (Type e in ig.Events)
                        {
                            Add(s, e, new Transition(TransitionKind.Ignore, null, null), seen, ref seenWildCard, machine);
                        }

                        break;
                }
            }

            seen.UnionWith(s.Handlers.Keys);
            seenWildCard |= s.WildCard is not null;
        }

        if (s.IsHot && s.IsCold)
        {
            throw new ModelDefinitionException($"{machine}.{s.Name} is declared both [Hot] and [Cold].");
        }
    }

    private static Transition Goto(IGotoAttribute g, Type machineType, Type machineBase)
    {
        ActionHandler? action = g.Action is null ? null : ActionHandler.Create(machineType, g.Action, machineBase);
        return new Transition(TransitionKind.Goto, action, null) { TargetType = g.State };
    }

    private static void Add(StateInfo s, Type e, Transition t, HashSet<Type> inheritedSeen, ref bool wildSeen, string machine)
    {
        // Declarations of a base state class are skipped where a derived class already declared the event.
        bool isWild = e == typeof(Actors.WildCardEvent);
        if (isWild ? wildSeen : inheritedSeen.Contains(e))
        {
            return;
        }

        s.Add(e, t, machine);
    }
}
