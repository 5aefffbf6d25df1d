using Verify.Actors;
using Verify.Runtime;
using Verify.Specifications;

namespace Verify.StateSpace;

/// <summary>
/// Hashes the whole model state between two steps: every actor slot (status, state stack, inbox,
/// pending sends and creations, a suspended receive, the model's fields and everything reachable
/// from them) and every monitor (current state and fields). The objects it recorded are what a
/// <see cref="Snapshot"/> copies; which actors share a mutable object is what reduction asks.
/// An actor's inbox, outbox and state stack are private to it, so they are hashed directly,
/// without the identity map (and copied by the snapshot along with the actor).
/// </summary>
internal sealed class StateCapture
{
    private const ulong EmptySlot = 0x454D505459534C54UL;

    private readonly StateHasher h = new();
    private readonly StateLayout layout = new();
    private object?[] rootObjects = new object?[16];
    private TypeShape[] rootShapes = new TypeShape[16];

    internal StateHasher Hasher => h;

    private FrozenCheck? frozen;

    /// <summary>Checks [Frozen] fields at every capture (<see cref="Configuration.CheckFrozenFields"/>); null when not checking.</summary>
    internal FrozenCheck? Frozen
    {
        get => frozen;
        set
        {
            frozen = value;
            h.CheckingFrozen = value is not null;
        }
    }

    /// <summary>Receives that actors of the captured state wait in; a snapshot is usable while none has completed.</summary>
    internal List<ReceiveRequest> Pending { get; } = [];

    /// <summary>Root boundaries and object identities of the last capture (see <see cref="StateLayout"/>).</summary>
    internal StateLayout Layout => layout;

    internal UInt128 Capture(ActorRuntime runtime)
    {
        h.Reset();
        Pending.Clear();
        IReadOnlyList<Actor?> actors = runtime.Actors;
        IReadOnlyList<Monitor> monitors = runtime.Monitors;
        int n = actors.Count;
        int roots = n + monitors.Count;
        layout.Begin(roots);
        UInt128[] segments = layout.Segments;
        int[] objectStarts = layout.ObjectStarts;
        h.BeginRoots(roots);
        h.ActorSlots = n;
        h.Monitors = monitors;
        h.Add((ulong)n);
        h.Add((ulong)monitors.Count);
        h.EndSegment();
        for (int i = 0; i < n; i++)
        {
            objectStarts[i] = h.ObjectCount;
            Actor? a = actors[i];
            if (a is null)
            {
                h.Add(EmptySlot);
            }
            else
            {
                TypeShape shape = RootShape(i, a);
                h.Track(a, shape, i);
                h.Root = i;
                h.RootName = a.Id.Name;
                HashActor(a, shape);
            }

            segments[i] = h.EndSegment();
        }

        for (int j = 0; j < monitors.Count; j++)
        {
            objectStarts[n + j] = h.ObjectCount;
            Monitor m = monitors[j];
            TypeShape shape = RootShape(n + j, m);
            h.Track(m, shape, n + j);
            h.Root = n + j;
            h.RootName = m.Name;
            h.Add(shape.Token);
            h.Add(Token(m.CurrentInfo));
            h.AddSigned(m.HashedStateValue);
            shape.Hash!(m, h);
            segments[n + j] = h.EndSegment();
        }

        objectStarts[roots] = h.ObjectCount;
        layout.Attach(h.Objects);
        UInt128 hash = h.Finish();
        frozen?.Check(h, hash);
        return hash;
    }

    /// <summary>True when actor slot <paramref name="index"/> reached a mutable object another actor or a monitor reached too.</summary>
    internal bool Shares(int index) => h.Shares(index);

    private static ulong Token(StateInfo s)
    {
        ulong t = s.HashToken;
        if (t == 0)
        {
            t = TypeShape.TokenOf(s.Type);
            s.HashToken = t;
        }

        return t;
    }

    private TypeShape RootShape(int index, object root)
    {
        if (index >= rootObjects.Length)
        {
            Array.Resize(ref rootObjects, index * 2);
            Array.Resize(ref rootShapes, index * 2);
        }

        if (!ReferenceEquals(rootObjects[index], root))
        {
            rootObjects[index] = root;
            rootShapes[index] = TypeShape.Of(root.GetType());
        }

        return rootShapes[index];
    }

    private void HashActor(Actor a, TypeShape shape)
    {
        if (a.Status == ActorStatus.Halted)
        {
            // A halted actor never runs again and its inbox is empty: nothing else of it matters.
            h.Add(shape.Token);
            h.Add((ulong)a.Status);
            return;
        }

        // The engine's fields of the actor, packed into one word: status, flags for the optional
        // parts hashed below, the state stack's depth and the inbox's length.
        List<StateInfo>? stack = (a as StateMachine)?.StackList;
        EventQueue inbox = a.Inbox;
        Queue<Effect>? outbox = a.Outbox;
        Event? raised = a.Raised;
        EventGroup? group = a.CurrentEventGroup;
        bool initial = a.Status is ActorStatus.Pending or ActorStatus.Created || a.InitializationSuspended;
        ulong flags = (a.HaltPending ? 1UL : 0) | (initial ? 2UL : 0) | (stack is null ? 0 : 4UL) | (outbox is null ? 0 : 8UL)
            | (raised is null ? 0 : 16UL) | (group is null ? 0 : 32UL) | (a.Receiving is null ? 0 : 64UL);
        ulong counts = (uint)(stack?.Count ?? 0) | ((ulong)(uint)inbox.Count << 32);
        h.Add4(shape.Token, (ulong)a.Status | (flags << 8), counts, (ulong)a.HashedStateValue);
        if (initial)
        {
            Envelope first = a.Initial;
            h.Visit(first.Event, "initialEvent", -1);
            h.Visit(first.Group, "initialGroup", -1);
            h.AddActorId(first.Sender);
        }

        if (stack is not null)
        {
            foreach (StateInfo s in stack)
            {
                h.Add(Token(s));
            }
        }

        for (int i = 0; i < inbox.Count; i++)
        {
            HashEnvelope(inbox[i], "inbox", i);
        }

        if (outbox is not null)
        {
            h.Add((ulong)outbox.Count);
            int i = 0;
            foreach (Effect effect in outbox)
            {
                h.Add((ulong)effect.Kind);
                h.Add((ulong)effect.Target.Id.Value);
                HashEnvelope(effect.Envelope, "outbox", i++);
            }
        }

        if (raised is not null)
        {
            h.Visit(raised, "raised", -1);
        }

        if (group is not null)
        {
            h.Visit(group, "eventGroup", -1);
        }

        if (a.Receiving is not null)
        {
            Continuations.Hash(a, h);
            Pending.Add(a.Receiving);
        }

        shape.Hash!(a, h);
    }

    private void HashEnvelope(in Envelope env, string name, int index)
    {
        h.Visit(env.Event, name, index);
        h.Visit(env.Group, name, index);
        h.Visit(env.Options, name, index);
        h.AddActorId(env.Sender);
    }
}
