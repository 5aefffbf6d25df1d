using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Verify.Runtime;

namespace Verify.StateSpace;

/// <summary>
/// Hashes collections by content rather than by layout: arrays, lists, queues and stacks in order;
/// hash sets and dictionaries sorted by each element's (or key's) own hash, so insertion history
/// does not split one state into several. Elements of a set and keys of a dictionary are hashed in
/// isolation for sorting; aliasing between them and the rest of the state is not distinguished.
/// </summary>
internal static class CollectionHashers
{
    internal static Action<object, StateHasher> ForArray(Type t) =>
        t.IsSZArray ? Make(nameof(SzArray), t.GetElementType()!) : MultiArray;

    /// <summary>The content hasher of a known collection type, or null for any other type.</summary>
    internal static Action<object, StateHasher>? ForCollection(Type t)
    {
        if (t == typeof(EventQueue))
        {
            return Inbox;
        }

        if (!t.IsGenericType)
        {
            return null;
        }

        Type d = t.GetGenericTypeDefinition();
        Type[] args = t.GetGenericArguments();
        return d == typeof(List<>) ? Make(nameof(List), args)
            : d == typeof(Queue<>) ? Make(nameof(Queue), args)
            : d == typeof(Stack<>) ? Make(nameof(Stack), args)
            : d == typeof(HashSet<>) ? Make(nameof(Set), args)
            : d == typeof(Dictionary<,>) ? Make(nameof(Map), args)
            : null;
    }

    private static Action<object, StateHasher> Make(string name, params Type[] args) =>
        typeof(CollectionHashers).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(args)
            .CreateDelegate<Action<object, StateHasher>>();

    private static void SzArray<T>(object o, StateHasher h)
    {
        var items = (T[])o;
        h.Add((ulong)items.Length);
        Element<T>.AddAll(h, items);
    }

    private static void List<T>(object o, StateHasher h)
    {
        Span<T> items = CollectionsMarshal.AsSpan((List<T>)o);
        h.Add((ulong)items.Length);
        Element<T>.AddAll(h, items);
    }

    private static void Queue<T>(object o, StateHasher h)
    {
        var q = (Queue<T>)o;
        InOrder<T, Queue<T>.Enumerator>(h, q.Count, q.GetEnumerator());
    }

    private static void Stack<T>(object o, StateHasher h)
    {
        var s = (Stack<T>)o;
        InOrder<T, Stack<T>.Enumerator>(h, s.Count, s.GetEnumerator());
    }

    /// <summary>A collection in its enumeration order (a queue from its head, a stack from its top); the struct enumerator is not boxed.</summary>
    private static void InOrder<T, TEnumerator>(StateHasher h, int count, TEnumerator items)
        where TEnumerator : struct, IEnumerator<T>
    {
        h.Add((ulong)count);
        for (int i = 0; items.MoveNext(); i++)
        {
            Element<T>.Add(h, items.Current, i);
        }
    }

    private static void Set<T>(object o, StateHasher h)
    {
        var set = (HashSet<T>)o;
        h.Add((ulong)set.Count);
        if (set.Count == 0)
        {
            return;
        }

        var entries = new (UInt128 Hash, T Item)[set.Count];
        int n = 0;
        foreach (T item in set)
        {
            entries[n++] = (h.HashIsolated(item), item);
        }

        Array.Sort(entries, static (x, y) => x.Hash.CompareTo(y.Hash));
        for (int i = 0; i < entries.Length; i++)
        {
            h.Add(entries[i].Hash);
            if (!Element<T>.ValueLike)
            {
                // Number the element's objects in the main map too: a snapshot must clone them.
                Element<T>.Add(h, entries[i].Item, i);
            }
        }
    }

    private static void Map<TKey, TValue>(object o, StateHasher h)
        where TKey : notnull
    {
        var map = (Dictionary<TKey, TValue>)o;
        h.Add((ulong)map.Count);
        if (map.Count == 0)
        {
            return;
        }

        var entries = new (UInt128 Hash, TKey Key, TValue Value)[map.Count];
        int n = 0;
        foreach (KeyValuePair<TKey, TValue> kv in map)
        {
            entries[n++] = (h.HashIsolated(kv.Key), kv.Key, kv.Value);
        }

        Array.Sort(entries, static (x, y) => x.Hash.CompareTo(y.Hash));
        for (int i = 0; i < entries.Length; i++)
        {
            h.Add(entries[i].Hash);
            if (!Element<TKey>.ValueLike)
            {
                Element<TKey>.Add(h, entries[i].Key, i);
            }

            Element<TValue>.Add(h, entries[i].Value, i);
        }
    }

    private static void MultiArray(object o, StateHasher h)
    {
        var items = (Array)o;
        h.Add((ulong)items.Rank);
        for (int d = 0; d < items.Rank; d++)
        {
            h.Add((ulong)items.GetLength(d));
        }

        int i = 0;
        foreach (object? item in items)
        {
            h.Visit(item, string.Empty, i++);
        }
    }

    /// <summary>An inbox: each queued event with the group, options and sender it travels with.</summary>
    private static void Inbox(object o, StateHasher h)
    {
        var inbox = (EventQueue)o;
        h.Add((ulong)inbox.Count);
        for (int i = 0; i < inbox.Count; i++)
        {
            Envelope env = inbox[i];
            h.Visit(env.Event, string.Empty, i);
            h.Visit(env.Group, "group", i);
            h.Visit(env.Options, "options", i);
            h.AddActorId(env.Sender);
        }
    }
}

/// <summary>The compiled hasher of one element type, built once.</summary>
internal static class Element<T>
{
    private static readonly ShapeRef? Exact = !typeof(T).IsValueType && typeof(T) != typeof(string) && ShapeRef.IsExact(typeof(T)) ? new ShapeRef(typeof(T)) : null;

    internal static readonly Action<StateHasher, T, int> Add = typeof(T).IsValueType
        ? FieldHashers.Element<T>()
        : Exact is not null ? static (h, v, i) => h.VisitExact(v, Exact!, string.Empty, i) : static (h, v, i) => h.Visit(v, string.Empty, i);

    internal static readonly bool ValueLike = FieldHashers.ValueLike(typeof(T));

    internal static void AddAll(StateHasher h, ReadOnlySpan<T> items)
    {
        // The common element types skip the delegate call.
        if (typeof(T) == typeof(int))
        {
            // Two to a word (the length is hashed before the elements), as the engine packs narrow fields.
            ReadOnlySpan<int> ints = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, int>(ref MemoryMarshal.GetReference(items)), items.Length);
            foreach (ulong pair in MemoryMarshal.Cast<int, ulong>(ints))
            {
                h.Add(pair);
            }

            if ((ints.Length & 1) != 0)
            {
                h.Add((uint)ints[^1]);
            }

            return;
        }

        if (typeof(T) == typeof(long))
        {
            foreach (long v in MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, long>(ref MemoryMarshal.GetReference(items)), items.Length))
            {
                h.AddSigned(v);
            }

            return;
        }

        if (typeof(T) == typeof(bool))
        {
            foreach (bool v in MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, bool>(ref MemoryMarshal.GetReference(items)), items.Length))
            {
                h.AddBool(v);
            }

            return;
        }

        if (!typeof(T).IsValueType)
        {
            if (Exact is not null)
            {
                for (int i = 0; i < items.Length; i++)
                {
                    h.VisitExact(items[i], Exact, string.Empty, i);
                }

                return;
            }

            for (int i = 0; i < items.Length; i++)
            {
                h.Visit(items[i], string.Empty, i);
            }

            return;
        }

        for (int i = 0; i < items.Length; i++)
        {
            Add(h, items[i], i);
        }
    }
}
