using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Verify.Actors;
using Verify.Runtime;
using Verify.Specifications;

namespace Verify.StateSpace;

/// <summary>
/// A copy of one model state that can be written back: a shadow copy of every mutable object the
/// capture recorded (actors with their engine fields, collections with their storage arrays, model
/// objects, arrays), and each actor's state stack and inbox as an array of their items. Restoring copies each shadow's writable fields into the live
/// object, so object identities, and with them aliasing, stay as they were; objects created after
/// the snapshot simply become unreachable. Readonly fields are never written: they cannot have
/// changed since the object was built. A snapshot is reused: taking it again copies into the
/// shadows it already has, so a search that recycles its snapshots allocates almost nothing.
/// Restoring skips the roots (actors, monitors) that the state the runtime is in already holds
/// unchanged, so undoing one step rewrites only what that step could have changed; taking a copy
/// over an earlier one skips the roots it already holds the same way.
/// </summary>
internal sealed class Snapshot
{
    private static readonly Func<object, object> CloneObject =
        typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!.CreateDelegate<Func<object, object>>();

    private static readonly TypeShape InboxShape = TypeShape.Of(typeof(EventQueue));
    private static readonly TypeShape StackShape = TypeShape.Of(typeof(List<StateInfo>));
    private static readonly TypeShape OutboxShape = TypeShape.Of(typeof(Queue<Effect>));

    // Sized to what the state needs (a depth-first search keeps tens of thousands of snapshots).
    private object[] targets;
    private object?[] shadows;
    private TypeShape?[] shapes;
    private int[] entryStarts = [];
    private int count;
    private readonly StateLayout layout = new();
    private bool[] unchanged = [];
    private Actor?[] actors = [];
    private Monitor[] monitors = [];
    private ReceiveRequest[]? pending;

    /// <summary>A snapshot with room for <paramref name="entries"/> copied objects and arrays (the size of a state taken before is a good guess).</summary>
    internal Snapshot(int entries = 0)
    {
        targets = new object[entries];
        shadows = new object?[entries];
        shapes = new TypeShape?[entries];
    }

    /// <summary>Objects and arrays the snapshot copies.</summary>
    internal int Entries => count;

    /// <summary>False once an actor has resumed from a receive it waited in here: its continuation is gone.</summary>
    internal bool IsRestorable
    {
        get
        {
            if (pending is null)
            {
                return true;
            }

            foreach (ReceiveRequest r in pending)
            {
                if (r.Task.IsCompleted)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Copies the state <paramref name="capture"/> just hashed (the runtime must not have moved
    /// since). Returns true when only the roots that differ from the copy held before were copied,
    /// false when everything was.
    /// </summary>
    internal bool Take(StateCapture capture, ActorRuntime runtime)
    {
        bool changedOnly = TakeChanged(capture);
        if (!changedOnly)
        {
            TakeAll(capture);
        }

        layout.CopyFrom(capture.Layout);
        actors = Copy(runtime.Actors, actors);
        monitors = Copy(runtime.Monitors, monitors);
        pending = capture.Pending.Count == 0 ? null : capture.Pending.ToArray();
        return changedOnly;
    }

    private void TakeAll(StateCapture capture)
    {
        StateLayout next = capture.Layout;
        int roots = next.Roots;
        EnsureRoots(roots);
        object[] objects = capture.Hasher.Objects;
        TypeShape[] objectShapes = capture.Hasher.ObjectShapes;
        count = 0;
        for (int r = 0; r < roots; r++)
        {
            entryStarts[r] = count;
            for (int i = next.ObjectStarts[r]; i < next.ObjectStarts[r + 1]; i++)
            {
                AddCaptured(objects[i], objectShapes[i]);
            }
        }

        entryStarts[roots] = count;
    }

    /// <summary>
    /// Copies only the roots whose part of the capture differs from what this snapshot holds (see
    /// <see cref="StateLayout.Unchanged"/>); false, having copied nothing usable, when the roots'
    /// entries would not keep their places.
    /// </summary>
    private bool TakeChanged(StateCapture capture)
    {
        StateLayout next = capture.Layout;
        int roots = next.Roots;
        if (count == 0 || roots != layout.Roots)
        {
            return false;
        }

        layout.Unchanged(next, unchanged);
        object[] objects = capture.Hasher.Objects;
        TypeShape[] objectShapes = capture.Hasher.ObjectShapes;
        for (int r = 0; r < roots; r++)
        {
            if (unchanged[r])
            {
                continue;
            }

            count = entryStarts[r];
            for (int i = next.ObjectStarts[r]; i < next.ObjectStarts[r + 1]; i++)
            {
                AddCaptured(objects[i], objectShapes[i]);
            }

            if (count != entryStarts[r + 1])
            {
                return false;
            }
        }

        count = entryStarts[roots];
        return true;
    }

    private void EnsureRoots(int roots)
    {
        int n = Math.Max(roots, layout.Roots) + 1;
        if (entryStarts.Length < n)
        {
            Array.Resize(ref entryStarts, n);
        }

        if (unchanged.Length < n)
        {
            unchanged = new bool[n];
        }
    }

    private void AddCaptured(object o, TypeShape s)
    {
        if (s.Kind == ShapeKind.Array)
        {
            AddArray((Array)o);
            return;
        }

        AddWithStorage(o, s);
        if (s.Kind == ShapeKind.Actor)
        {
            // The capture hashes an actor's private structures directly; copy them with it.
            var a = (Actor)o;
            if (a is StateMachine machine)
            {
                AddItems(machine.StackList, StackShape, CollectionsMarshal.AsSpan(machine.StackList), ReferenceEquals);
            }

            AddItems(a.Inbox, InboxShape, a.Inbox.Items, SameEnvelope);
            if (a.Outbox is not null)
            {
                AddWithStorage(a.Outbox, OutboxShape);
            }
        }
    }

    /// <summary>The snapshotted state's layout: after a restore, the layout of the state the runtime is in.</summary>
    internal StateLayout Layout => layout;

    /// <summary>
    /// Writes the snapshot back. When <paramref name="live"/> is the layout of the state the runtime
    /// is in now, roots it already holds unchanged are skipped: undoing one step rewrites only what
    /// the step could have changed.
    /// </summary>
    internal void Restore(ActorRuntime runtime, int steps, StateLayout? live)
    {
        int roots = layout.Roots;
        layout.Unchanged(live, unchanged);
        for (int r = 0; r < roots; r++)
        {
            if (unchanged[r])
            {
                continue;
            }

            for (int i = entryStarts[r]; i < entryStarts[r + 1]; i++)
            {
                TypeShape? s = shapes[i];
                if (s is null)
                {
                    CopyArray((Array)shadows[i]!, (Array)targets[i]);
                }
                else if (ReferenceEquals(s, StackShape))
                {
                    LoadStack(Unsafe.As<List<StateInfo>>(targets[i]), Unsafe.As<StateInfo[]>(shadows[i]!));
                }
                else if (ReferenceEquals(s, InboxShape))
                {
                    Unsafe.As<EventQueue>(targets[i]).Load(Unsafe.As<Envelope[]>(shadows[i]!));
                }
                else
                {
                    s.Restore!(targets[i], shadows[i]!);
                }
            }
        }

        runtime.RestoreLists(actors, monitors, steps);
    }

    private void AddWithStorage(object o, TypeShape s)
    {
        if (s.Restore is not null)
        {
            AddObject(o, s);
        }

        foreach (Func<object, Array?> inner in s.InnerArrays)
        {
            if (inner(o) is Array storage)
            {
                AddArray(storage);
            }
        }
    }

    private void AddObject(object o, TypeShape s)
    {
        int i = Slot();
        object? shadow = shadows[i];
        if (shadow is not null && shadow.GetType() == o.GetType())
        {
            s.Restore!(shadow, o);
        }
        else
        {
            shadows[i] = CloneObject(o);
        }

        Put(targets, i, o);
        Put(shapes, i, s);
    }

    /// <summary>
    /// An actor's state stack or inbox, copied as an array of exactly its items: the list's or
    /// queue's spare capacity is not state, and an empty inbox (the usual case) costs no copy.
    /// The snapshot owns the array; restoring writes the items back into the live list or queue.
    /// </summary>
    private void AddItems<T>(object target, TypeShape marker, ReadOnlySpan<T> items, Func<T, T, bool> same)
    {
        int i = Slot();
        if (shadows[i] is T[] copy && copy.Length == items.Length)
        {
            for (int j = 0; j < items.Length; j++)
            {
                // A reference store costs a GC write barrier; a copy taken again mostly holds the same items.
                if (!same(copy[j], items[j]))
                {
                    copy[j] = items[j];
                }
            }
        }
        else
        {
            shadows[i] = items.Length == 0 ? Array.Empty<T>() : items.ToArray();
        }

        Put(targets, i, target);
        Put(shapes, i, marker);
    }

    /// <summary>Identity, not equality: an equal event that is another object would change what aliases what.</summary>
    private static bool SameEnvelope(Envelope a, Envelope b) =>
        ReferenceEquals(a.Event, b.Event) && ReferenceEquals(a.Group, b.Group) && ReferenceEquals(a.Options, b.Options) && ReferenceEquals(a.Sender, b.Sender);

    private static void LoadStack(List<StateInfo> stack, StateInfo[] from)
    {
        if (stack.Count != from.Length)
        {
            CollectionsMarshal.SetCount(stack, from.Length);
        }

        Span<StateInfo> to = CollectionsMarshal.AsSpan(stack);
        for (int j = 0; j < from.Length; j++)
        {
            if (!ReferenceEquals(to[j], from[j]))
            {
                to[j] = from[j];
            }
        }
    }

    private void AddArray(Array a)
    {
        if (a.Length == 0)
        {
            return;
        }

        int i = Slot();
        if (shadows[i] is Array shadow && shadow.GetType() == a.GetType() && shadow.Length == a.Length)
        {
            CopyArray(a, shadow);
        }
        else
        {
            shadows[i] = a.Clone();
        }

        Put(targets, i, a);
        Put(shapes, i, null);
    }

    /// <summary>Stores a reference unless the slot holds it already: a store costs a GC write barrier, and a snapshot taken again mostly holds the same objects.</summary>
    private static void Put<T>(T[] array, int i, T value)
        where T : class?
    {
        if (!ReferenceEquals(array[i], value))
        {
            array[i] = value;
        }
    }

    /// <summary>
    /// Copies an array of the same type and length. Elements of a reference type are written only
    /// where they differ: a reference store costs a GC write barrier, and most slots are equal.
    /// </summary>
    private static void CopyArray(Array from, Array to)
    {
        // Arrays of a value type (int[], Envelope[]) are never object[]; arrays of any reference type are.
        if (from is object?[] source)
        {
            object?[] target = Unsafe.As<object?[]>(to);
            ref object? s = ref MemoryMarshal.GetArrayDataReference(source);
            ref object? t = ref MemoryMarshal.GetArrayDataReference(target);
            for (int i = 0; i < source.Length; i++)
            {
                object? v = Unsafe.Add(ref s, i);
                ref object? slot = ref Unsafe.Add(ref t, i);
                if (!ReferenceEquals(v, slot))
                {
                    slot = v;
                }
            }

            return;
        }

        Array.Copy(from, to, from.Length);
    }

    private int Slot()
    {
        if (count == targets.Length)
        {
            int size = Math.Max(8, count * 2);
            Array.Resize(ref targets, size);
            Array.Resize(ref shadows, size);
            Array.Resize(ref shapes, size);
        }

        return count++;
    }

    private static T[] Copy<T>(IReadOnlyList<T> from, T[] into)
        where T : class?
    {
        if (into.Length != from.Count)
        {
            into = new T[from.Count];
        }

        for (int i = 0; i < into.Length; i++)
        {
            Put(into, i, from[i]);
        }

        return into;
    }
}
