using System.Collections.Concurrent;
using System.Reflection;
using Verify.Actors;
using Verify.Logging;
using Verify.Runtime;
using Verify.Specifications;

namespace Verify.StateSpace;

internal enum ShapeKind : byte
{
    /// <summary>Hashed by content, no identity, never cloned: strings, ActorIds, Types, boxed primitives, immutable engine values.</summary>
    Value,

    /// <summary>A class hashed field by field and restored by copying its fields back.</summary>
    Object,

    /// <summary>An array: hashed element by element, restored with Array.Copy.</summary>
    Array,

    /// <summary>A BCL collection (or an inbox) hashed by its contents, restored through its fields and internal arrays.</summary>
    Collection,

    /// <summary>An actor: the capture hashes its engine state itself; the shape hashes the model's fields.</summary>
    Actor,

    /// <summary>A monitor, likewise.</summary>
    Monitor,

    /// <summary>Something that is not data: a delegate, a task, a pointer.</summary>
    Forbidden,
}

/// <summary>
/// How one runtime type is hashed, cloned and restored: compiled once per type (expression trees,
/// no per-call reflection) and cached for the process.
/// </summary>
internal sealed class TypeShape
{
    private const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
    private static readonly ConcurrentDictionary<Type, TypeShape> Cache = new();
    private static readonly ConcurrentDictionary<Type, ulong> Tokens = new();

    private TypeShape(Type type, ShapeKind kind)
    {
        Type = type;
        Kind = kind;
        Token = TokenOf(type);
    }

    internal Type Type { get; }

    internal ShapeKind Kind { get; }

    /// <summary>A stable 64-bit hash of the type's name: the same in every process for the same build.</summary>
    internal ulong Token { get; }

    /// <summary>Hashes an instance: a value's content, an object's fields, a collection's elements, an actor's model fields.</summary>
    internal Action<object, StateHasher>? Hash { get; private set; }

    /// <summary>Copies the writable fields of a clone back into the live object; null when the type has none.</summary>
    internal Action<object, object>? Restore { get; private set; }

    /// <summary>A collection's internal storage arrays, cloned with it.</summary>
    internal Func<object, System.Array?>[] InnerArrays { get; private set; } = [];

    /// <summary>No writable field anywhere below: sharing such an object between actors is harmless.</summary>
    internal bool Immutable { get; private set; }

    /// <summary>For <see cref="ShapeKind.Forbidden"/>: what the object is, for the error message.</summary>
    internal string? Forbidden { get; private set; }

    internal static TypeShape Of(Type type) => Cache.GetOrAdd(type, Build);

    internal static ulong TokenOf(Type type) => Tokens.GetOrAdd(type, static t =>
    {
        var h = new StateHasher();
        h.AddString(t.FullName ?? t.Name);
        h.AddString(t.Assembly.GetName().Name);
        return (ulong)h.Finish();
    });

    internal static string Name(Type t) => t.FullName ?? t.Name;

    /// <summary><c>&lt;count&gt;5__2</c> (a hoisted local) and <c>&lt;Value&gt;k__BackingField</c> read as <c>count</c> and <c>Value</c>.</summary>
    internal static string FieldDisplayName(string name)
    {
        if (name.Length > 2 && name[0] == '<')
        {
            int end = name.IndexOf('>', StringComparison.Ordinal);
            if (end > 1)
            {
                return name[1..end];
            }
        }

        return name;
    }

    /// <summary>Instance fields from the most basic type below <paramref name="stop"/> down to <paramref name="type"/>, in declaration order.</summary>
    internal static List<FieldInfo> Fields(Type type, Type? stop)
    {
        var levels = new List<Type>();
        for (Type? t = type; t is not null && t != typeof(object) && t != stop; t = t.BaseType)
        {
            levels.Add(t);
        }

        levels.Reverse();
        var fields = new List<FieldInfo>();
        foreach (Type t in levels)
        {
            fields.AddRange(t.GetFields(Declared).OrderBy(f => f.MetadataToken));
        }

        return fields;
    }

    /// <summary>
    /// Whether a field is model state: not [NotHashed] or [Frozen], and not the managed thread id a
    /// compiler-generated iterator records when created (it differs between the workers of a parallel search).
    /// </summary>
    internal static bool IsHashed(FieldInfo f) => !IsFrozen(f) && IsHashedOrFrozen(f);

    /// <summary>Whether a field is model state or [Frozen] (constant after setup, hashed only to check that).</summary>
    internal static bool IsHashedOrFrozen(FieldInfo f) => f.Name != "<>l__initialThreadId" && !f.IsDefined(typeof(NotHashedAttribute), inherit: false);

    internal static bool IsFrozen(FieldInfo f) => f.IsDefined(typeof(FrozenAttribute), inherit: false);

    private static TypeShape Build(Type t)
    {
        if (t == typeof(string) || t == typeof(ActorId) || typeof(Type).IsAssignableFrom(t))
        {
            var s = new TypeShape(t, ShapeKind.Value) { Immutable = true };
            s.Hash = t == typeof(string) ? static (o, h) => h.AddString((string)o)
                : t == typeof(ActorId) ? static (o, h) => h.AddActorId((ActorId)o)
                : static (o, h) => h.AddType((Type)o);
            return s;
        }

        if (t == typeof(IntPtr) || t == typeof(UIntPtr) || t == typeof(Pointer))
        {
            return Forbid(t, "an unmanaged pointer");
        }

        if (t.IsValueType)
        {
            // A boxed primitive, enum or struct: hashed by content like the value it is.
            return new TypeShape(t, ShapeKind.Value) { Immutable = true, Hash = FieldHashers.Boxed(t) };
        }

        if (typeof(Delegate).IsAssignableFrom(t))
        {
            return Forbid(t, "a delegate, which is code rather than data");
        }

        if (typeof(Task).IsAssignableFrom(t))
        {
            return Forbid(t, "a task, a running computation rather than data");
        }

        if (typeof(System.Threading.Thread).IsAssignableFrom(t) || typeof(System.Threading.WaitHandle).IsAssignableFrom(t))
        {
            return Forbid(t, "a thread or wait handle");
        }

        if (t == typeof(StateInfo))
        {
            return new TypeShape(t, ShapeKind.Value) { Immutable = true, Hash = static (o, h) => h.AddType(((StateInfo)o).Type) };
        }

        if (t == typeof(EventGroup))
        {
            return new TypeShape(t, ShapeKind.Value)
            {
                Immutable = true,
                Hash = static (o, h) =>
                {
                    var g = (EventGroup)o;
                    h.AddGuid(g.Id);
                    h.AddString(g.Name);
                },
            };
        }

        if (t == typeof(SendOptions))
        {
            return new TypeShape(t, ShapeKind.Value)
            {
                Immutable = true,
                Hash = static (o, h) =>
                {
                    var s = (SendOptions)o;
                    h.AddBool(s.MustHandle);
                    h.AddSigned(s.HashedState);
                },
            };
        }

        if (typeof(ActorRuntime).IsAssignableFrom(t) || typeof(ILogger).IsAssignableFrom(t) || typeof(IActorRuntime).IsAssignableFrom(t)
            || t == typeof(ActorInfo) || t == typeof(StateMachineInfo) || t == typeof(ReadableLog))
        {
            // Engine services a model may keep a reference to; they are not model state.
            return new TypeShape(t, ShapeKind.Value) { Immutable = true, Hash = static (_, _) => { } };
        }

        if (typeof(Actor).IsAssignableFrom(t))
        {
            Type stop = typeof(StateMachine).IsAssignableFrom(t) ? typeof(StateMachine) : typeof(Actor);
            return Restorable(t, ShapeKind.Actor, FieldHashers.Fields(t, stop));
        }

        if (typeof(Monitor).IsAssignableFrom(t))
        {
            return Restorable(t, ShapeKind.Monitor, FieldHashers.Fields(t, typeof(Monitor)));
        }

        if (t.IsArray)
        {
            return new TypeShape(t, ShapeKind.Array) { Hash = CollectionHashers.ForArray(t) };
        }

        Action<object, StateHasher>? collection = CollectionHashers.ForCollection(t);
        if (collection is not null)
        {
            TypeShape s = Restorable(t, ShapeKind.Collection, collection);
            s.InnerArrays = Fields(t, null)
                .Where(f => f.FieldType.IsArray)
                .Select(FieldHashers.ArrayGetter)
                .ToArray();
            return s;
        }

        return Restorable(t, ShapeKind.Object, FieldHashers.Fields(t, null));
    }

    private static TypeShape Restorable(Type t, ShapeKind kind, Action<object, StateHasher> hash)
    {
        List<FieldInfo> writable = Fields(t, null).Where(f => !f.IsInitOnly && IsHashed(f)).ToList();
        return new TypeShape(t, kind)
        {
            Hash = hash,
            Restore = writable.Count == 0 ? null : FieldHashers.Copier(t, writable),
            Immutable = kind == ShapeKind.Object && ImmutableTypes.Is(t),
        };
    }

    private static TypeShape Forbid(Type t, string what) => new(t, ShapeKind.Forbidden) { Forbidden = what };
}

/// <summary>
/// Deep immutability: no writable field, and every reference field's declared type is itself
/// immutable and sealed (or a string, ActorId or Type). Cycles count as immutable (coinduction).
/// </summary>
internal static class ImmutableTypes
{
    private static readonly ConcurrentDictionary<Type, bool> Known = new();

    [ThreadStatic]
    private static HashSet<Type>? inProgress;

    internal static bool Is(Type t)
    {
        if (Known.TryGetValue(t, out bool known))
        {
            return known;
        }

        inProgress ??= [];
        if (!inProgress.Add(t))
        {
            return true;
        }

        try
        {
            bool result = Compute(t);
            Known.TryAdd(t, result);
            return result;
        }
        finally
        {
            inProgress.Remove(t);
        }
    }

    private static bool Compute(Type t)
    {
        if (t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(ActorId) || t == typeof(Type) || t == typeof(decimal))
        {
            return true;
        }

        if (t.IsArray || t.IsPointer || typeof(Delegate).IsAssignableFrom(t) || typeof(Actor).IsAssignableFrom(t) || typeof(Monitor).IsAssignableFrom(t))
        {
            return false;
        }

        if (!t.IsValueType && !t.IsSealed)
        {
            return false;
        }

        foreach (FieldInfo f in TypeShape.Fields(t, null))
        {
            if (!TypeShape.IsHashed(f))
            {
                continue;
            }

            if (!t.IsValueType && !f.IsInitOnly)
            {
                return false;
            }

            if (!Is(f.FieldType))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>The shape of a field's exact (sealed) type, resolved on first use (a type may contain itself).</summary>
internal sealed class ShapeRef(Type type)
{
    private TypeShape? shape;

    internal TypeShape Shape => shape ??= TypeShape.Of(type);

    /// <summary>True when every value of a field declared <paramref name="t"/> has type <paramref name="t"/> (array covariance included).</summary>
    internal static bool IsExact(Type t) =>
        t.IsSealed && (!t.IsArray || t.GetElementType() is { } e && (e.IsValueType || IsExact(e)));
}
