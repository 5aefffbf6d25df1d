using System.Reflection;
using System.Runtime.CompilerServices;

namespace Verify.StateSpace;

/// <summary>
/// Checks the promise of <see cref="Specifications.FrozenAttribute"/> (with
/// <see cref="Configuration.CheckFrozenFields"/>) after each capture, in two ways. Never written:
/// each frozen field of an object keeps the reference (or value) it had at the first state the
/// object was part of, and each object reachable from frozen fields but not from the state
/// (which is not copied or restored) keeps its own fields. One state: a state hash met with two
/// different frozen contents (hashed in visit order, objects of the state by their number) means
/// leaving them out merged two states, e.g. two objects alike but for a frozen field that traded places.
/// </summary>
internal sealed class FrozenCheck
{
    private readonly Dictionary<(object Owner, FieldInfo Field), UInt128> fields = new(new OwnerComparer());
    private readonly Dictionary<object, UInt128> objects = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<UInt128, UInt128> byState = [];
    private readonly HashSet<object> done = new(ReferenceEqualityComparer.Instance);
    private readonly Stack<(object Object, FieldInfo From)> work = new();

    /// <summary>Frozen fields checked so far, over all captures.</summary>
    internal long Checked { get; private set; }

    internal void Check(StateHasher state, UInt128 stateHash)
    {
        var all = new StateHasher();
        done.Clear();
        foreach ((object owner, object? value, FieldInfo field) in state.FrozenSeen)
        {
            Checked++;

            // The field's contents, objects of the state by number: one state has one.
            var deep = new StateHasher(state) { Monitors = state.Monitors, ActorSlots = state.ActorSlots, RootName = TypeShape.Name(owner.GetType()) };
            deep.Visit(value, field.Name, -1);
            all.Add(TypeShape.TokenOf(field.DeclaringType!));
            all.AddString(field.Name);
            all.Add(deep.Finish());

            // The field itself: the same reference or value as at its first state.
            var own = new StateHasher(state) { Monitors = state.Monitors, ActorSlots = state.ActorSlots, Reached = [] };
            own.Visit(value, field.Name, -1);
            Same(fields, (owner, field), own.Finish(), field, owner);
            foreach (object o in own.Reached)
            {
                work.Push((o, field));
            }
        }

        // Objects reached only through frozen fields: each keeps its own fields.
        while (work.Count > 0)
        {
            (object o, FieldInfo from) = work.Pop();
            if (!done.Add(o))
            {
                continue;
            }

            TypeShape shape = TypeShape.Of(o.GetType());
            var own = new StateHasher(state) { Monitors = state.Monitors, ActorSlots = state.ActorSlots, Reached = [] };
            own.Add(shape.Token);
            shape.Hash!(o, own);
            Same(objects, o, own.Finish(), from, o);
            foreach (object next in own.Reached)
            {
                work.Push((next, from));
            }
        }

        UInt128 frozenHash = all.Finish();
        if (!byState.TryGetValue(stateHash, out UInt128 known))
        {
            byState.Add(stateHash, frozenHash);
        }
        else if (known != frozenHash)
        {
            throw new StateCaptureException(
                "State capture failed: two states that differ only in [Frozen] fields hash as one state. "
                + "A frozen field must be the same wherever its object can be in the state: leave unmarked a field that tells apart objects that are otherwise alike (a name, an index).");
        }
    }

    private static void Same<TKey>(Dictionary<TKey, UInt128> first, TKey key, UInt128 hash, FieldInfo field, object what)
        where TKey : notnull
    {
        if (!first.TryGetValue(key, out UInt128 was))
        {
            first.Add(key, hash);
        }
        else if (was != hash)
        {
            throw new StateCaptureException(
                $"State capture failed: the [Frozen] field {TypeShape.FieldDisplayName(field.Name)} of {TypeShape.Name(field.DeclaringType!)} changed after the state it was first seen in "
                + $"({TypeShape.Name(what.GetType())} differs). A frozen field is left out of the state, so neither it nor anything reachable only through it may be written once the model is built; "
                + "leave it unmarked, or mark it [NotHashed] if the model's behaviour does not depend on it.");
        }
    }

    private sealed class OwnerComparer : IEqualityComparer<(object Owner, FieldInfo Field)>
    {
        public bool Equals((object Owner, FieldInfo Field) x, (object Owner, FieldInfo Field) y) =>
            ReferenceEquals(x.Owner, y.Owner) && x.Field == y.Field;

        public int GetHashCode((object Owner, FieldInfo Field) obj) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(obj.Owner), obj.Field);
    }
}
