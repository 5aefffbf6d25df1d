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
    private const ulong NoOutbox = 0x4E4F4F5554424F58UL;

    private readonly StateHasher h = new();
    private readonly StateLayout layout = new();
    private object?[] rootObjects = new object?[16];
    private TypeShape[] rootShapes = new TypeShape[16];

    internal StateHasher Hasher => h;

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
        return h.Finish();
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
        h.Add(shape.Token);
        h.Add((ulong)a.Status);
        if (a.Status == ActorStatus.Halted)
        {
            // A halted actor never runs again and its inbox is empty: nothing else of it matters.
            return;
        }

        h.AddBool(a.HaltPending);
        if (a.Status is ActorStatus.Pending or ActorStatus.Created || a.InitializationSuspended)
        {
            Envelope initial = a.Initial;
            h.Visit(initial.Event, "initialEvent", -1);
            h.Visit(initial.Group, "initialGroup", -1);
            h.AddActorId(initial.Sender);
        }

        if (a is StateMachine machine)
        {
            List<StateInfo> stack = machine.StackList;
            h.Add((ulong)stack.Count);
            foreach (StateInfo s in stack)
            {
                h.Add(Token(s));
            }

        }

        EventQueue inbox = a.Inbox;
        h.Add((ulong)inbox.Count);
        for (int i = 0; i < inbox.Count; i++)
        {
            HashEnvelope(inbox[i], "inbox", i);
        }

        if (a.Outbox is Queue<Effect> outbox)
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
        else
        {
            h.Add(NoOutbox);
        }

        h.Visit(a.Raised, "raised", -1);
        h.Visit(a.CurrentEventGroup, "eventGroup", -1);
        if (a.Receiving is not null)
        {
            Continuations.Hash(a, h);
            Pending.Add(a.Receiving);
        }

        h.AddSigned(a.HashedStateValue);
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
