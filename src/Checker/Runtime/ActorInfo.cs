using System.Collections.Concurrent;
using System.Reflection;
using Verify.Actors;

namespace Verify.Runtime;

/// <summary>Per-type metadata of an actor or state machine, built once by reflection and cached.</summary>
internal sealed class ActorInfo
{
    private static readonly ConcurrentDictionary<Type, ActorInfo> Cache = new();

    private ActorInfo(Type type)
    {
        Type = type;
        FullName = ActorId.ReadableName(type);
        ShortName = ActorId.ShortName(FullName);
        Handlers = new StateInfo(type, ShortName);
        OverridesDequeued = Overrides(type, "OnEventDequeuedAsync");
        OverridesHandled = Overrides(type, "OnEventHandledAsync");
        OverridesHalt = Overrides(type, "OnHaltAsync");
        OverridesUnhandled = Overrides(type, "OnEventUnhandledAsync");
        OverridesDeferred = Overrides(type, "OnEventDeferred");
        OverridesIgnored = Overrides(type, "OnEventIgnored");
        OverridesException = Overrides(type, "OnException");
        DeclaresSharedAccess = type.IsDefined(typeof(DeclaresSharedAccessAttribute), inherit: false);
        ConstructorInfo ctor = type.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes)!;
        factory = System.Linq.Expressions.Expression.Lambda<Func<Actor>>(System.Linq.Expressions.Expression.New(ctor)).Compile();
    }

    private readonly Func<Actor> factory;

    internal Type Type { get; }

    /// <summary>The type's full name, readable for generic types (<c>Ns.Machine&lt;Int32&gt;</c>).</summary>
    internal string FullName { get; }

    internal string ShortName { get; }

    /// <summary>Class-level actions: a plain actor's only handlers, a state machine's fallback in every state.</summary>
    internal StateInfo Handlers { get; }

    internal StateMachineInfo? Machine { get; private set; }

    /// <summary>This type for coverage; its slot counts the actors of this type that started.</summary>
    internal CoverageUnit Coverage { get; private set; } = null!;

    internal bool OverridesDequeued { get; }

    internal bool OverridesHandled { get; }

    internal bool OverridesHalt { get; }

    internal bool OverridesUnhandled { get; }

    internal bool OverridesDeferred { get; }

    internal bool OverridesIgnored { get; }

    internal bool OverridesException { get; }

    /// <summary>A state machine declares class-level actions (in <see cref="Handlers"/>), used in any state that does not handle the event.</summary>
    internal bool HasClassHandlers { get; private set; }

    /// <summary>The type carries <see cref="DeclaresSharedAccessAttribute"/>.</summary>
    internal bool DeclaresSharedAccess { get; }

    internal static ActorInfo Get(Type type) => Cache.GetOrAdd(type, Build);

    private static ActorInfo Build(Type type)
    {
        if (!typeof(Actor).IsAssignableFrom(type) || type.IsAbstract)
        {
            throw new ModelDefinitionException($"{type.FullName} is not a concrete Actor or StateMachine type.");
        }

        if (type.IsGenericTypeDefinition || type.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes) is null)
        {
            throw new ModelDefinitionException($"{type.FullName} needs a constructor without parameters.");
        }

        var info = new ActorInfo(type);
        if (typeof(StateMachine).IsAssignableFrom(type))
        {
            info.Machine = StateMachineInfo.Build(type, typeof(StateMachine), typeof(StateMachine.State), typeof(StateMachine.StateGroup));

            // Coyote applies a class-level [OnEventDoAction] of a state machine in every state that does not handle the event.
            foreach (StateMachine.OnEventDoActionAttribute a in type.GetCustomAttributes<StateMachine.OnEventDoActionAttribute>(inherit: true))
            {
                info.Handlers.Add(a.Event, new Transition(TransitionKind.Do, ActionHandler.Create(type, a.Action, typeof(StateMachine)), null), info.ShortName);
            }
        }

        foreach (OnEventDoActionAttribute a in type.GetCustomAttributes<OnEventDoActionAttribute>(inherit: true))
        {
            Type limit = info.Machine is null ? typeof(Actor) : typeof(StateMachine);
            info.Handlers.Add(a.Event, new Transition(TransitionKind.Do, ActionHandler.Create(type, a.Action, limit), null), info.ShortName);
        }

        info.HasClassHandlers = info.Machine is not null && (info.Handlers.Handlers.Count > 0 || info.Handlers.WildCard is not null);

        info.Coverage = CoverageSlots.Register(info.ShortName, info.Machine is null ? CoverageUnitKind.Actor : CoverageUnitKind.StateMachine,
            info.Machine, info.Machine is null ? info.Handlers : null);
        return info;
    }

    internal Actor Instantiate() => factory();

    private static bool Overrides(Type type, string name)
    {
        MethodInfo? m = type.GetMethod(name, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
        return m is not null && m.DeclaringType != typeof(Actor);
    }
}
