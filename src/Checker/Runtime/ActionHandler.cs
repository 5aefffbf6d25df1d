using System.Reflection;

namespace Verify.Runtime;

/// <summary>
/// A model method bound once per declaring type: <c>void M()</c>, <c>void M(E e)</c>,
/// <c>Task M()</c> or <c>Task M(E e)</c>. Delegates are built through generic helpers so the
/// hot path makes two indirect calls and no reflection.
/// </summary>
internal sealed class ActionHandler
{
    private readonly Action<object, object?>? sync;
    private readonly Func<object, object?, Task>? async;

    private ActionHandler(string name, Action<object, object?>? sync, Func<object, object?, Task>? async)
    {
        Name = name;
        this.sync = sync;
        this.async = async;
    }

    internal string Name { get; }

    /// <summary>Runs the method; returns null for a void method, else its task.</summary>
    internal Task? Invoke(object target, object? e)
    {
        if (sync is not null)
        {
            sync(target, e);
            return null;
        }

        return async!(target, e);
    }

    internal static ActionHandler Create(Type ownerType, string methodName, Type baseLimit)
    {
        MethodInfo method = Find(ownerType, methodName, baseLimit);
        ParameterInfo[] ps = method.GetParameters();
        bool isAsync = method.ReturnType == typeof(Task);
        if (!isAsync && method.ReturnType != typeof(void))
        {
            throw new ModelDefinitionException(
                $"{ownerType.Name}.{methodName} returns {method.ReturnType.Name}; handlers return void or Task.");
        }

        string factory = (ps.Length, isAsync) switch
        {
            (0, false) => nameof(Sync0),
            (1, false) => nameof(Sync1),
            (0, true) => nameof(Async0),
            _ => nameof(Async1),
        };
        Type[] typeArgs = ps.Length == 0 ? [ownerType] : [ownerType, ps[0].ParameterType];
        MethodInfo make = typeof(ActionHandler).GetMethod(factory, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(typeArgs);
        return (ActionHandler)make.Invoke(null, [method])!;
    }

    private static MethodInfo Find(Type ownerType, string methodName, Type baseLimit)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        for (Type? t = ownerType; t is not null && t != baseLimit; t = t.BaseType)
        {
            MethodInfo[] named = t.GetMethods(flags)
                .Where(m => m.Name == methodName && m.GetParameters().Length <= 1 && !m.IsGenericMethodDefinition)
                .ToArray();
            if (named.Length == 0)
            {
                continue;
            }

            MethodInfo[] candidates = named.Where(TakesNothingOrAnEvent).ToArray();
            if (candidates.Length == 1)
            {
                return candidates[0];
            }

            if (candidates.Length == 0)
            {
                ParameterInfo p = named[0].GetParameters()[0];
                throw new ModelDefinitionException(
                    $"{ownerType.Name}.{methodName} takes a {p.ParameterType.Name}; a handler takes no parameter or one event.");
            }

            // Overloads: as Coyote binds a handler name, the parameterless one wins, then the one taking any Event.
            MethodInfo? chosen = candidates.FirstOrDefault(m => m.GetParameters().Length == 0)
                ?? candidates.FirstOrDefault(m => m.GetParameters()[0].ParameterType == typeof(Actors.Event)
                    || m.GetParameters()[0].ParameterType == typeof(Specifications.Monitor.Event));
            return chosen ?? throw new ModelDefinitionException(
                $"{ownerType.Name}.{methodName} is overloaded for several event types; a handler name must name one method, "
                + "or the overload taking no parameter or an Event.");
        }

        throw new ModelDefinitionException($"{ownerType.Name} has no method {methodName} with zero or one parameter.");
    }

    private static bool TakesNothingOrAnEvent(MethodInfo m)
    {
        ParameterInfo[] ps = m.GetParameters();
        return ps.Length == 0 || typeof(Specifications.Monitor.Event).IsAssignableFrom(ps[0].ParameterType);
    }

    private static ActionHandler Sync0<TOwner>(MethodInfo m)
        where TOwner : class
    {
        var d = m.CreateDelegate<Action<TOwner>>();
        return new ActionHandler(m.Name, (o, _) => d((TOwner)o), null);
    }

    private static ActionHandler Sync1<TOwner, TEvent>(MethodInfo m)
        where TOwner : class
        where TEvent : class
    {
        var d = m.CreateDelegate<Action<TOwner, TEvent>>();
        return new ActionHandler(m.Name, (o, e) => d((TOwner)o, CastEvent<TEvent>(e, m)), null);
    }

    private static ActionHandler Async0<TOwner>(MethodInfo m)
        where TOwner : class
    {
        var d = m.CreateDelegate<Func<TOwner, Task>>();
        return new ActionHandler(m.Name, null, (o, _) => d((TOwner)o));
    }

    private static ActionHandler Async1<TOwner, TEvent>(MethodInfo m)
        where TOwner : class
        where TEvent : class
    {
        var d = m.CreateDelegate<Func<TOwner, TEvent, Task>>();
        return new ActionHandler(m.Name, null, (o, e) => d((TOwner)o, CastEvent<TEvent>(e, m)));
    }

    private static TEvent CastEvent<TEvent>(object? e, MethodInfo m)
        where TEvent : class
    {
        if (e is TEvent typed)
        {
            return typed;
        }

        if (e is null)
        {
            return null!; // Coyote passes null to an entry action reached without an event.
        }

        // A handler typed for one event that is reached by another (or by none, e.g. an entry
        // action of a start state created without an initial event) would see a wrong object.
        throw new ModelDefinitionException(
            $"{m.DeclaringType?.Name}.{m.Name} takes a {typeof(TEvent).Name} but was invoked with {e.GetType().Name}.");
    }
}
