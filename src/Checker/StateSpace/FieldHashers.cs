using System.Linq.Expressions;
using System.Reflection;
using Verify.Actors;

namespace Verify.StateSpace;

/// <summary>
/// Compiles the per-type code of a <see cref="TypeShape"/>: a field hasher (primitives added
/// directly, structs flattened, references visited through the identity map), a copier that
/// restores writable fields from a clone, and getters for a collection's internal arrays.
/// </summary>
internal static class FieldHashers
{
    private static readonly MethodInfo AddUnsigned = Method(nameof(StateHasher.Add), typeof(ulong));
    private static readonly MethodInfo AddSigned = Method(nameof(StateHasher.AddSigned), typeof(long));
    private static readonly MethodInfo AddBool = Method(nameof(StateHasher.AddBool), typeof(bool));
    private static readonly MethodInfo AddSingle = Method(nameof(StateHasher.AddSingle), typeof(float));
    private static readonly MethodInfo AddDouble = Method(nameof(StateHasher.AddDouble), typeof(double));
    private static readonly MethodInfo AddDecimal = Method(nameof(StateHasher.AddDecimal), typeof(decimal));
    private static readonly MethodInfo AddString = Method(nameof(StateHasher.AddString), typeof(string));
    private static readonly MethodInfo AddActorId = Method(nameof(StateHasher.AddActorId), typeof(ActorId));
    private static readonly MethodInfo Visit = Method(nameof(StateHasher.Visit), typeof(object), typeof(string), typeof(int));
    private static readonly MethodInfo VisitExact = Method(nameof(StateHasher.VisitExact), typeof(object), typeof(ShapeRef), typeof(string), typeof(int));
    private static readonly MethodInfo Forbid = Method(nameof(StateHasher.Forbid), typeof(string), typeof(string));
    private static readonly MethodInfo Push = Method(nameof(StateHasher.Push), typeof(string), typeof(int));
    private static readonly MethodInfo Pop = Method(nameof(StateHasher.Pop));
    private static readonly MethodInfo Frozen = Method(nameof(StateHasher.Frozen), typeof(object), typeof(object), typeof(FieldInfo));
    private static readonly FieldInfo CheckingFrozen = typeof(StateHasher).GetField(nameof(StateHasher.CheckingFrozen), BindingFlags.Instance | BindingFlags.NonPublic)!;
    private static readonly MethodInfo SingleBits = typeof(BitConverter).GetMethod(nameof(BitConverter.SingleToInt32Bits), [typeof(float)])!;

    /// <summary>Hashes the hashed fields of <paramref name="t"/> declared below <paramref name="stop"/>.</summary>
    internal static Action<object, StateHasher> Fields(Type t, Type? stop) =>
        Selected(t, TypeShape.Fields(t, stop).Where(TypeShape.IsHashedOrFrozen));

    /// <summary>Hashes the given fields of <paramref name="t"/>, in order.</summary>
    internal static Action<object, StateHasher> Selected(Type t, IEnumerable<FieldInfo> fields)
    {
        ParameterExpression o = Expression.Parameter(typeof(object), "o");
        ParameterExpression h = Expression.Parameter(typeof(StateHasher), "h");
        ParameterExpression typed = Expression.Variable(t, "t");
        var body = new List<Expression>();
        Expression? half = null;
        var frozen = new List<Expression>();
        foreach (FieldInfo f in fields)
        {
            if (TypeShape.IsFrozen(f))
            {
                // Not state: hashed only when the search checks that it never changes.
                frozen.Add(Expression.Call(h, Frozen, o, Expression.Convert(Expression.Field(typed, f), typeof(object)), Expression.Constant(f)));
                continue;
            }

            if (!f.FieldType.IsPointer && !f.FieldType.IsFunctionPointer && Narrow(Expression.Field(typed, f), f.FieldType) is { } word)
            {
                // Fields of 32 bits or fewer go two to a word: half the words to mix, same information.
                if (half is null)
                {
                    half = word;
                }
                else
                {
                    body.Add(Expression.Call(h, AddUnsigned, Expression.Or(half, Expression.LeftShift(word, Expression.Constant(32)))));
                    half = null;
                }

                continue;
            }

            Emit(body, f.FieldType.IsPointer || f.FieldType.IsFunctionPointer ? null : Expression.Field(typed, f), f.FieldType, h, f.Name);
        }

        if (half is not null)
        {
            body.Add(Expression.Call(h, AddUnsigned, half));
        }

        if (frozen.Count > 0)
        {
            body.Add(Expression.IfThen(Expression.Field(h, CheckingFrozen), Expression.Block(frozen)));
        }

        if (body.Count == 0)
        {
            return static (_, _) => { };
        }

        body.Insert(0, Expression.Assign(typed, Expression.Convert(o, t)));
        return Expression.Lambda<Action<object, StateHasher>>(Expression.Block([typed], body), o, h).Compile();
    }

    /// <summary>A field of 32 bits or fewer (bool, char, integers, float, enums of those) as its bits in the low half of a ulong; null for any other type.</summary>
    private static Expression? Narrow(Expression value, Type type)
    {
        if (type.IsEnum)
        {
            Type underlying = Enum.GetUnderlyingType(type);
            return Narrow(Expression.Convert(value, underlying), underlying);
        }

        switch (Type.GetTypeCode(type))
        {
            case TypeCode.Boolean:
                return Expression.Condition(value, Expression.Constant(1UL), Expression.Constant(0UL));
            case TypeCode.Char:
            case TypeCode.Byte:
            case TypeCode.UInt16:
            case TypeCode.UInt32:
                return Expression.Convert(value, typeof(ulong));
            case TypeCode.SByte:
            case TypeCode.Int16:
            case TypeCode.Int32:
                return Expression.Convert(Expression.Convert(Expression.Convert(value, typeof(int)), typeof(uint)), typeof(ulong));
            case TypeCode.Single:
                return Expression.Convert(Expression.Convert(Expression.Call(SingleBits, value), typeof(uint)), typeof(ulong));
            default:
                return null;
        }
    }

    /// <summary>Hashes a boxed value type by content.</summary>
    internal static Action<object, StateHasher> Boxed(Type t)
    {
        ParameterExpression o = Expression.Parameter(typeof(object), "o");
        ParameterExpression h = Expression.Parameter(typeof(StateHasher), "h");
        ParameterExpression v = Expression.Variable(t, "v");
        var body = new List<Expression>();
        Emit(body, v, t, h, string.Empty);
        if (body.Count == 0)
        {
            return static (_, _) => { };
        }

        body.Insert(0, Expression.Assign(v, Expression.Unbox(o, t)));
        return Expression.Lambda<Action<object, StateHasher>>(Expression.Block([v], body), o, h).Compile();
    }

    /// <summary>Hashes one element of type <typeparamref name="T"/>; a struct element with references gets its index in error paths.</summary>
    internal static Action<StateHasher, T, int> Element<T>()
    {
        ParameterExpression h = Expression.Parameter(typeof(StateHasher), "h");
        ParameterExpression v = Expression.Parameter(typeof(T), "v");
        ParameterExpression i = Expression.Parameter(typeof(int), "i");
        var body = new List<Expression>();
        Emit(body, v, typeof(T), h, string.Empty);
        if (body.Count == 0)
        {
            return static (_, _, _) => { };
        }

        if (!ValueLike(typeof(T)))
        {
            body.Insert(0, Expression.Call(h, Push, Expression.Constant(string.Empty), i));
            body.Add(Expression.Call(h, Pop));
        }

        return Expression.Lambda<Action<StateHasher, T, int>>(Expression.Block(body), h, v, i).Compile();
    }

    /// <summary>True for types hashed purely by value (no object inside): primitives, enums, strings, ActorIds, Types and structs of those.</summary>
    internal static bool ValueLike(Type t)
    {
        if (t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(ActorId) || t == typeof(Type) || t == typeof(decimal))
        {
            return t != typeof(IntPtr) && t != typeof(UIntPtr);
        }

        return t.IsValueType && TypeShape.Fields(t, null).Where(TypeShape.IsHashed).All(f => ValueLike(f.FieldType));
    }

    /// <summary>Copies <paramref name="fields"/> from a clone (second argument) back into the live object (first).</summary>
    internal static Action<object, object> Copier(Type t, List<FieldInfo> fields)
    {
        ParameterExpression live = Expression.Parameter(typeof(object), "live");
        ParameterExpression clone = Expression.Parameter(typeof(object), "clone");
        ParameterExpression l = Expression.Variable(t, "l");
        ParameterExpression c = Expression.Variable(t, "c");
        var body = new List<Expression>
        {
            Expression.Assign(l, Expression.Convert(live, t)),
            Expression.Assign(c, Expression.Convert(clone, t)),
        };
        foreach (FieldInfo f in fields)
        {
            Expression assign = Expression.Assign(Expression.Field(l, f), Expression.Field(c, f));

            // A reference store costs a GC write barrier; most fields a step did not touch are equal.
            body.Add(f.FieldType.IsValueType
                ? assign
                : Expression.IfThen(Expression.Not(Expression.ReferenceEqual(Expression.Field(l, f), Expression.Field(c, f))), assign));
        }

        return Expression.Lambda<Action<object, object>>(Expression.Block([l, c], body), live, clone).Compile();
    }

    internal static Func<object, Array?> ArrayGetter(FieldInfo f)
    {
        ParameterExpression o = Expression.Parameter(typeof(object), "o");
        Expression read = Expression.Field(Expression.Convert(o, f.DeclaringType!), f);
        return Expression.Lambda<Func<object, Array?>>(Expression.Convert(read, typeof(Array)), o).Compile();
    }

    /// <summary>Appends the code hashing <paramref name="value"/> of declared type <paramref name="type"/>.</summary>
    private static void Emit(List<Expression> body, Expression? value, Type type, ParameterExpression h, string name)
    {
        if (value is null || type == typeof(IntPtr) || type == typeof(UIntPtr))
        {
            body.Add(Expression.Call(h, Forbid, Expression.Constant(name), Expression.Constant($"an unmanaged pointer ({type.Name})")));
            return;
        }

        if (type.IsEnum)
        {
            Type underlying = Enum.GetUnderlyingType(type);
            Emit(body, Expression.Convert(value, underlying), underlying, h, name);
            return;
        }

        switch (Type.GetTypeCode(type))
        {
            case TypeCode.Boolean:
                body.Add(Expression.Call(h, AddBool, value));
                return;
            case TypeCode.Char:
            case TypeCode.Byte:
            case TypeCode.UInt16:
            case TypeCode.UInt32:
            case TypeCode.UInt64:
                body.Add(Expression.Call(h, AddUnsigned, Expression.Convert(value, typeof(ulong))));
                return;
            case TypeCode.SByte:
            case TypeCode.Int16:
            case TypeCode.Int32:
            case TypeCode.Int64:
                body.Add(Expression.Call(h, AddSigned, Expression.Convert(value, typeof(long))));
                return;
            case TypeCode.Single:
                body.Add(Expression.Call(h, AddSingle, value));
                return;
            case TypeCode.Double:
                body.Add(Expression.Call(h, AddDouble, value));
                return;
            case TypeCode.Decimal:
                body.Add(Expression.Call(h, AddDecimal, value));
                return;
            case TypeCode.String:
                body.Add(Expression.Call(h, AddString, value));
                return;
        }

        if (type == typeof(ActorId))
        {
            body.Add(Expression.Call(h, AddActorId, value));
            return;
        }

        if (type.IsValueType)
        {
            foreach (FieldInfo f in TypeShape.Fields(type, null).Where(TypeShape.IsHashed))
            {
                string inner = name.Length == 0 ? f.Name : name + "." + TypeShape.FieldDisplayName(f.Name);
                Emit(body, f.FieldType.IsPointer || f.FieldType.IsFunctionPointer ? null : Expression.Field(value, f), f.FieldType, h, inner);
            }

            return;
        }

        if (ShapeRef.IsExact(type))
        {
            body.Add(Expression.Call(h, VisitExact, Expression.Convert(value, typeof(object)), Expression.Constant(new ShapeRef(type)), Expression.Constant(name), Expression.Constant(-1)));
            return;
        }

        body.Add(Expression.Call(h, Visit, Expression.Convert(value, typeof(object)), Expression.Constant(name), Expression.Constant(-1)));
    }

    private static MethodInfo Method(string name, params Type[] args) =>
        typeof(StateHasher).GetMethod(name, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, args)
        ?? throw new InvalidOperationException($"checker bug: StateHasher.{name} not found");
}
