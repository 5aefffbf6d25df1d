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
        ShortName = ActorId.ShortName(type.FullName ?? type.Name);
        Handlers = new StateInfo(type, ShortName);
        OverridesDequeued = Overrides(type, "OnEventDequeuedAsync");
        OverridesHandled = Overrides(type, "OnEventHandledAsync");
        OverridesHalt = Overrides(type, "OnHaltAsync");
        DeclaresSharedAccess = type.IsDefined(typeof(DeclaresSharedAccessAttribute), inherit: false);
        ConstructorInfo ctor = type.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes)!;
        factory = System.Linq.Expressions.Expression.Lambda<Func<Actor>>(System.Linq.Expressions.Expression.New(ctor)).Compile();
    }

    private readonly Func<Actor> factory;

    internal Type Type { get; }

    internal string ShortName { get; }

    /// <summary>For a plain actor: its class-level actions. Unused by state machines.</summary>
    internal StateInfo Handlers { get; }

    internal StateMachineInfo? Machine { get; private set; }

    /// <summary>This type for coverage; its slot counts the actors of this type that started.</summary>
    internal CoverageUnit Coverage { get; private set; } = null!;

    internal bool OverridesDequeued { get; }

    internal bool OverridesHandled { get; }

    internal bool OverridesHalt { get; }

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
        }
        else
        {
            foreach (OnEventDoActionAttribute a in type.GetCustomAttributes<OnEventDoActionAttribute>(inherit: true))
            {
                info.Handlers.Add(a.Event, new Transition(TransitionKind.Do, ActionHandler.Create(type, a.Action, typeof(Actor)), null), info.ShortName);
            }
        }

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
