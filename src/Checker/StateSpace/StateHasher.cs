using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Verify.Actors;

namespace Verify.StateSpace;

/// <summary>
/// A 128-bit streaming hash of one model state, with the identity map that makes object graphs
/// canonical: the first visit of an object numbers it and hashes its contents, a later visit hashes
/// the number. So two actors pointing at one shared object hash differently from two actors holding
/// equal copies, and cycles end. In visit order it keeps the objects it numbered (a snapshot clones
/// them) and which root (actor or monitor) reached each first (partial-order reduction asks which
/// roots share a mutable object).
/// </summary>
internal sealed class StateHasher
{
    private const ulong P1 = 0x9E3779B185EBCA87UL;
    private const ulong P2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong P3 = 0x165667B19E3779F9UL;
    private const ulong P4 = 0x85EBCA77C2B2AE63UL;
    private const ulong P5 = 0x27D4EB2F165667C5UL;

    // Tags keep a null, a back reference and a first visit apart whatever the values around them.
    private const ulong NullTag = 0x4E554C4C5F544147UL;
    private const ulong BackTag = 0x4241434B5F544147UL;
    private const ulong StateTag = 0x53544154455F5447UL;

    private readonly bool tracking;
    private readonly StateHasher? parent;
    private readonly IdentityMap ids = new();
    private const int ShapeCacheSize = 256;
    private readonly ShapeEntry[] shapeCache = new ShapeEntry[ShapeCacheSize];
    private readonly ObjectShapeEntry[] objectShapeCache = new ObjectShapeEntry[ShapeCacheSize];
    private object[] objects = new object[64];
    private TypeShape[] objectShapes = new TypeShape[64];
    private int objectCount;
    private int[] owners = new int[64];
    private bool[] shares = new bool[8];
    private int roots;
    // Four lanes take the words in turn, so consecutive words do not wait on each other's multiply.
    // They hash the current segment (one root's words); each finished segment is folded to 128 bits
    // and added to the outer lanes, which hash the whole state.
    private LaneBlock lanes;
    private long count;
    private LaneBlock outer;
    private long outerCount;
    private int numbered;
    private StateHasher? isolated;

    // The path from the current root to the object being hashed, for error messages only.
    private string[] pathNames = new string[32];
    private int[] pathIndices = new int[32];
    private int depth;

    internal StateHasher()
        : this(tracking: true, parent: null)
    {
    }

    /// <summary>A hasher of frozen fields' contents that hashes <paramref name="state"/>'s objects as references.</summary>
    internal StateHasher(StateHasher state)
        : this(tracking: false, parent: null)
    {
        StateObjects = state;
        CheckingFrozen = true;
    }

    private StateHasher(bool tracking, StateHasher? parent)
    {
        this.tracking = tracking;
        this.parent = parent;
        Reset();
    }

    /// <summary>The objects recorded so far, in visit order (the first <see cref="ObjectCount"/>): everything a snapshot must copy.</summary>
    internal object[] Objects => objects;

    internal TypeShape[] ObjectShapes => objectShapes;

    internal int ObjectCount => objectCount;

    /// <summary>The root being hashed: an actor slot, or a monitor after the actors.</summary>
    internal int Root { get; set; }

    /// <summary>Name of the current root for error paths, e.g. <c>Counter(1)</c>.</summary>
    internal string RootName { get; set; } = "state";

    internal void Reset()
    {
        Seed(ref lanes);
        count = 0;
        Seed(ref outer);
        outerCount = 0;
        ids.Clear();

        // The recorded objects stay in their slots: the next capture mostly records the same ones
        // in the same order, and an equal slot is not written again (see Record).
        objectCount = 0;
        numbered = 0;
        FrozenSeen.Clear();
        depth = 0;
        Root = 0;
    }

    /// <summary>Prepares the sharing record for <paramref name="rootCount"/> roots.</summary>
    internal void BeginRoots(int rootCount)
    {
        roots = rootCount;
        if (shares.Length < rootCount)
        {
            shares = new bool[rootCount * 2];
        }

        Array.Clear(shares, 0, rootCount);
    }

    /// <summary>True when root <paramref name="r"/> reached a mutable object that another root reached too.</summary>
    internal bool Shares(int r) => r < roots && shares[r];

    /// <summary>
    /// Records an actor or monitor (a root, reached by slot rather than through the identity map) or
    /// an engine-private object (an inbox, a state stack) for the snapshot, without numbering it.
    /// </summary>
    internal void Track(object o, TypeShape shape, int owner) => Record(o, shape, owner);

    /// <summary>The monitors of the state being hashed, so a reference to one hashes as its index.</summary>
    internal IReadOnlyList<Specifications.Monitor> Monitors { get; set; } = [];

    /// <summary>Actor slots in the state being hashed: a monitor's root index is this plus its index.</summary>
    internal int ActorSlots { get; set; }

    /// <summary>
    /// Ends the current segment (a root's words): returns their 128-bit hash, adds it to the whole
    /// state's, and starts the next segment afresh. Equal segment hashes mean equal words, whatever
    /// the segments before them held.
    /// </summary>
    internal UInt128 EndSegment()
    {
        // Each lane is already mixed word by word; the outer lanes multiply again, and the whole
        // state's hash is avalanched once at the end.
        var segment = new UInt128(
            lanes[0] ^ BitOperations.RotateLeft(lanes[2], 29) ^ (ulong)count,
            lanes[1] ^ BitOperations.RotateLeft(lanes[3], 41));
        Mix(ref outer, outerCount++, (ulong)segment);
        Mix(ref outer, outerCount++, (ulong)(segment >> 64));
        Seed(ref lanes);
        count = 0;
        return segment;
    }

    /// <summary>The hash of everything added: the segments ended so far and the words since.</summary>
    internal UInt128 Finish()
    {
        if (count > 0)
        {
            EndSegment();
        }

        return Fold(ref outer, outerCount);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Add(ulong v) => Mix(ref lanes, count++, v);

    /// <summary>Adds four words, as four calls of <see cref="Add(ulong)"/> would, with the count read and written once.</summary>
    internal void Add4(ulong a, ulong b, ulong c, ulong d)
    {
        long n = count;
        Mix(ref lanes, n, a);
        Mix(ref lanes, n + 1, b);
        Mix(ref lanes, n + 2, c);
        Mix(ref lanes, n + 3, d);
        count = n + 4;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mix(ref LaneBlock block, long at, ulong v)
    {
        ref ulong lane = ref block[(int)at & 3];
        lane = BitOperations.RotateLeft(lane + (v * P2), 31) * P1;
    }

    private static void Seed(ref LaneBlock block)
    {
        block[0] = P1 ^ P4;
        block[1] = P2 ^ P5;
        block[2] = P3 ^ P1;
        block[3] = P4 ^ P2;
    }

    private static UInt128 Fold(ref LaneBlock l, long n)
    {
        ulong c = (ulong)n;
        ulong lo = Fmix((l[0] * P1) + (l[1] * P2) + (l[2] * P3) + (l[3] * P4) + (c * P5));
        ulong hi = Fmix((BitOperations.RotateLeft(l[0], 13) * P5) + (BitOperations.RotateLeft(l[1], 29) * P4)
            + (BitOperations.RotateLeft(l[2], 43) * P2) + (BitOperations.RotateLeft(l[3], 53) * P1) + (c * P3));
        return new UInt128(hi, lo);
    }

    internal void AddSigned(long v) => Add((ulong)v);

    internal void AddBool(bool v) => Add(v ? 1UL : 0UL);

    internal void AddDouble(double v) => Add((ulong)BitConverter.DoubleToInt64Bits(v));

    internal void AddSingle(float v) => Add((uint)BitConverter.SingleToInt32Bits(v));

    internal void AddDecimal(decimal v)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(v, bits);
        Add(((ulong)(uint)bits[0] << 32) | (uint)bits[1]);
        Add(((ulong)(uint)bits[2] << 32) | (uint)bits[3]);
    }

    internal void AddGuid(Guid g)
    {
        Span<byte> bytes = stackalloc byte[16];
        g.TryWriteBytes(bytes);
        Add(BitConverter.ToUInt64(bytes));
        Add(BitConverter.ToUInt64(bytes[8..]));
    }

    internal void Add(UInt128 v)
    {
        Add((ulong)v);
        Add((ulong)(v >> 64));
    }

    internal void AddString(string? s)
    {
        if (s is null)
        {
            Add(NullTag);
            return;
        }

        Add((ulong)s.Length);
        ReadOnlySpan<char> chars = s.AsSpan();
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<char, ulong>(chars);
        foreach (ulong w in words)
        {
            Add(w);
        }

        for (int i = words.Length * 4; i < chars.Length; i++)
        {
            Add(chars[i]);
        }
    }

    internal void AddActorId(ActorId? id) => Add(id is null ? NullTag : (ulong)id.Value);

    internal void AddType(Type? t) => Add(t is null ? NullTag : TypeShape.TokenOf(t));

    /// <summary>Hashes a reference: a value-like object by content, anything else by identity, its contents on first visit.</summary>
    internal void Visit(object? o, string name, int index)
    {
        if (o is null)
        {
            Add(NullTag);
            return;
        }

        if (o is string s)
        {
            AddString(s);
            return;
        }

        VisitShaped(o, ShapeOf(o), name, index);
    }

    /// <summary>
    /// The shape of <paramref name="o"/>'s type, from a direct-mapped cache keyed by its method
    /// table (the word an object starts with), which spares asking the runtime for its Type.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TypeShape ShapeOf(object o)
    {
        nint mt = MethodTableOf(o);
        ref ObjectShapeEntry e = ref objectShapeCache[(int)((nuint)mt >> 4) & (ShapeCacheSize - 1)];
        if (e.MethodTable == mt)
        {
            return e.Shape!;
        }

        TypeShape shape = Shape(o.GetType());
        e.MethodTable = mt;
        e.Shape = shape;
        return shape;
    }

    /// <summary>An object's method table pointer: the word before its first field (what the runtime's own type checks read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint MethodTableOf(object o) =>
        Unsafe.ReadUnaligned<nint>(ref Unsafe.Subtract(ref Unsafe.As<RawData>(o).Data, IntPtr.Size));

    private sealed class RawData
    {
        internal byte Data;
    }

    private struct ObjectShapeEntry
    {
        internal nint MethodTable;
        internal TypeShape? Shape;
    }

    /// <summary>Visit for a field whose declared type is exact (sealed): the shape is known, no type lookup.</summary>
    internal void VisitExact(object? o, ShapeRef exact, string name, int index)
    {
        if (o is null)
        {
            Add(NullTag);
            return;
        }

        VisitShaped(o, exact.Shape, name, index);
    }

    private void VisitShaped(object o, TypeShape shape, string name, int index)
    {
        switch (shape.Kind)
        {
            case ShapeKind.Value:
                Add(shape.Token);
                shape.Hash!(o, this);
                return;
            case ShapeKind.Forbidden:
                throw new StateCaptureException(Describe(name, index, $"holds {shape.Forbidden} ({TypeShape.Name(shape.Type)})"));
        }

        if (shape.Kind is ShapeKind.Actor or ShapeKind.Monitor)
        {
            // A reference to an actor or monitor object (a closure's `this`, say) hashes as its slot.
            int rootIndex = shape.Kind == ShapeKind.Actor ? (int)((Actor)o).Id.Value - 1 : IndexOfMonitor(o);
            if (rootIndex < 0)
            {
                throw new StateCaptureException(Describe(name, index, $"holds {TypeShape.Name(shape.Type)}, an actor or monitor object the runtime did not create; refer to actors by ActorId"));
            }

            Add(BackTag ^ (ulong)shape.Kind);
            Add((ulong)rootIndex);
            if (tracking)
            {
                NoteSharedRoot(rootIndex);
            }

            return;
        }

        if (StateObjects is not null)
        {
            int? number = StateObjects.NumberOf(o);
            if (Reached is not null)
            {
                // One object's own fields at a time: a reference is its identity, and an object
                // the state does not reach is checked on its own (the state's are state).
                Add(BackTag);
                Add((ulong)RuntimeHelpers.GetHashCode(o));
                if (number is null)
                {
                    Reached.Add(o);
                }

                return;
            }

            if (number is not null)
            {
                // An object of the state reached from a frozen field: its contents are state; its number says which.
                Add(StateTag);
                Add((ulong)number.Value);
                return;
            }
        }

        ref int slot = ref ids.GetOrAdd(o, out bool seen);
        if (seen)
        {
            Add(BackTag);
            Add((ulong)slot);
            if (tracking)
            {
                NoteShared(slot);
            }

            return;
        }

        slot = tracking ? Record(o, shape, shape.Immutable ? -1 : Root) : numbered++;

        Add(shape.Token);
        Push(name, index);
        shape.Hash!(o, this);
        depth--;
    }

    /// <summary>True while a search checks [Frozen] fields (<see cref="Configuration.CheckFrozenFields"/>): compiled hashers then report them.</summary>
    internal bool CheckingFrozen;

    /// <summary>The [Frozen] fields met by this capture, for <see cref="FrozenCheck"/>.</summary>
    internal List<(object Owner, object? Value, FieldInfo Field)> FrozenSeen { get; } = [];

    /// <summary>The capture whose objects a frozen-field check hashes as references (their contents are state).</summary>
    internal StateHasher? StateObjects { get; set; }

    /// <summary>Called by compiled field hashers for a [Frozen] field while <see cref="CheckingFrozen"/>.</summary>
    internal void Frozen(object owner, object? value, FieldInfo field)
    {
        if (StateObjects is not null)
        {
            // Hashing a frozen field's contents: a frozen field inside is part of them.
            Visit(value, field.Name, -1);
            return;
        }

        FrozenSeen.Add((owner, value, field));
    }

    /// <summary>The number this capture gave <paramref name="o"/> (reached as state), or null.</summary>
    internal int? NumberOf(object o) => ids.TryGet(o, out int number) ? number : null;

    /// <summary>For a frozen-field check of one object's own fields: the objects they reference, checked in turn.</summary>
    internal List<object>? Reached { get; set; }

    /// <summary>Hashes <paramref name="value"/> alone, with its own identity map: for sorting set elements and dictionary keys.</summary>
    internal UInt128 HashIsolated<T>(T value)
    {
        StateHasher iso = isolated ??= new StateHasher(tracking: false, parent: this);
        iso.Reset();
        Element<T>.Add(iso, value, -1);
        return iso.Finish();
    }

    internal void Push(string name, int index)
    {
        if (depth == pathNames.Length)
        {
            Array.Resize(ref pathNames, depth * 2);
            Array.Resize(ref pathIndices, depth * 2);
        }

        if (!ReferenceEquals(pathNames[depth], name))
        {
            pathNames[depth] = name; // a reference store costs a GC write barrier; the path is mostly the same
        }

        pathIndices[depth] = index;
        depth++;
    }

    internal void Pop() => depth--;

    /// <summary>Called by compiled field hashers for a field that can never be captured (a pointer).</summary>
    internal void Forbid(string name, string what) =>
        throw new StateCaptureException(Describe(name, -1, $"holds {what}"));

    internal StateCaptureException Fail(string what) => new(Describe(string.Empty, -1, what));

    /// <summary>"State capture failed: Counter(1).waiters[2].callback holds a delegate (...) ..." with advice.</summary>
    private string Describe(string name, int index, string what) =>
        $"State capture failed: {Path(name, index)} {what}. Stateful search hashes and restores the model's fields; "
        + "mark a field that is not part of the state [NotHashed], or keep plain data (numbers, strings, ActorIds, collections, objects of those) in it.";

    private string Path(string name, int index)
    {
        var sb = new StringBuilder();
        AppendPath(sb);
        Append(sb, name, index);
        return sb.ToString();
    }

    private void AppendPath(StringBuilder sb)
    {
        if (parent is not null)
        {
            parent.AppendPath(sb);
        }
        else
        {
            sb.Append(RootName);
        }

        for (int i = 0; i < depth; i++)
        {
            Append(sb, pathNames[i], pathIndices[i]);
        }
    }

    private static void Append(StringBuilder sb, string name, int index)
    {
        if (name.Length > 0)
        {
            sb.Append('.').Append(TypeShape.FieldDisplayName(name));
        }

        if (index >= 0)
        {
            sb.Append('[').Append(index).Append(']');
        }
    }

    internal TypeShape Shape(Type t)
    {
        // A direct-mapped cache keyed by the type object's identity hash; misses go to the shared table.
        int i = RuntimeHelpers.GetHashCode(t) & (ShapeCacheSize - 1);
        ref ShapeEntry e = ref shapeCache[i];
        if (ReferenceEquals(e.Type, t))
        {
            return e.Shape!;
        }

        TypeShape shape = TypeShape.Of(t);
        e.Type = t;
        e.Shape = shape;
        return shape;
    }

    /// <summary>Appends an object to the recorded list; its index is its number in back references.</summary>
    private int Record(object o, TypeShape shape, int owner)
    {
        int id = objectCount;
        if (id == objects.Length)
        {
            Array.Resize(ref objects, id * 2);
            Array.Resize(ref objectShapes, id * 2);
            Array.Resize(ref owners, id * 2);
        }

        // A reference store costs a GC write barrier; the slot usually holds this object already.
        if (!ReferenceEquals(objects[id], o))
        {
            objects[id] = o;
        }

        if (!ReferenceEquals(objectShapes[id], shape))
        {
            objectShapes[id] = shape;
        }

        owners[id] = owner;
        objectCount = id + 1;
        return id;
    }

    private void NoteShared(int id) => NoteSharedRoot(owners[id]);

    private void NoteSharedRoot(int owner)
    {
        if (owner >= 0 && owner != Root && owner < roots)
        {
            shares[owner] = true;
            shares[Root] = true;
        }
    }

    private int IndexOfMonitor(object o)
    {
        for (int j = 0; j < Monitors.Count; j++)
        {
            if (ReferenceEquals(Monitors[j], o))
            {
                return ActorSlots + j;
            }
        }

        return -1;
    }

    private static ulong Fmix(ulong k)
    {
        k ^= k >> 33;
        k *= 0xFF51AFD7ED558CCDUL;
        k ^= k >> 33;
        k *= 0xC4CEB9FE1A85EC53UL;
        k ^= k >> 33;
        return k;
    }

    private struct ShapeEntry
    {
        internal Type? Type;
        internal TypeShape? Shape;
    }

    [InlineArray(4)]
    private struct LaneBlock
    {
        private ulong first;
    }
}
