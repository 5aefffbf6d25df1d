using Checker.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Verify.Actors;
using Verify.Specifications;
using Xunit;
using static Checker.Tests.StateSpace.Models;

namespace Checker.Tests.StateSpace;

/// <summary>
/// The state hash identifies equal states and tells different ones apart: object graphs up to
/// aliasing, inbox order, state stacks, monitor states; it skips [NotHashed] fields and
/// ignores how a dictionary or set was built.
/// </summary>
public sealed class StateHashTests
{
    [Fact]
    public void Hash_IsTheSame_ForTwoRunsOfOneModel()
    {
        Action<IActorRuntime> body = r =>
        {
            ActorId a = r.CreateActor(typeof(Holder), new Holder.Setup(new Box { Value = 3, Next = new Box() }));
            r.SendEvent(a, new Knock());
        };

        Assert.Equal(Capture.HashOf(body, 1), Capture.HashOf(body, 1));
    }

    [Fact]
    public void Hash_OfQueuesAndStacks_IsTheirContentInOrder_NotTheirBufferLayout()
    {
        static UInt128 Holding(object held) => Capture.HashOf(r => r.CreateActor(typeof(Holder), new Holder.Setup(held)), 1);

        var wrapped = new Queue<int>(4);
        foreach (int v in new[] { 0, 0, 1, 2, 3 })
        {
            wrapped.Enqueue(v);
            if (v == 0)
            {
                wrapped.Dequeue(); // the head moves along the ring buffer
            }
        }

        var popped = new Stack<int>();
        popped.Push(9);
        popped.Pop();
        popped.Push(1);
        popped.Push(2);

        Assert.Equal(Holding(new Queue<int>([1, 2, 3])), Holding(wrapped));
        Assert.NotEqual(Holding(new Queue<int>([1, 2, 3])), Holding(new Queue<int>([3, 2, 1])));
        Assert.Equal(Holding(new Stack<int>([1, 2])), Holding(popped));
        Assert.NotEqual(Holding(new Stack<int>([1, 2])), Holding(new Stack<int>([2, 1])));
    }

    [Fact]
    public void Hash_DistinguishesOneSharedObject_FromTwoEqualCopies()
    {
        Action<IActorRuntime> Shared() => r =>
        {
            var box = new Box { Value = 1 };
            r.CreateActor(typeof(Holder), new Holder.Setup(box));
            r.CreateActor(typeof(Holder), new Holder.Setup(box));
        };
        Action<IActorRuntime> copies = r =>
        {
            r.CreateActor(typeof(Holder), new Holder.Setup(new Box { Value = 1 }));
            r.CreateActor(typeof(Holder), new Holder.Setup(new Box { Value = 1 }));
        };

        Assert.NotEqual(Capture.HashOf(Shared(), 1, 2), Capture.HashOf(copies, 1, 2));
        Assert.Equal(Capture.HashOf(Shared(), 1, 2), Capture.HashOf(Shared(), 2, 1));
    }

    [Fact]
    public void Hash_DistinguishesFieldValues_ReachedThroughSharedObjects()
    {
        Assert.NotEqual(
            Capture.HashOf(r => r.CreateActor(typeof(Holder), new Holder.Setup(new Box { Next = new Box { Value = 1 } })), 1),
            Capture.HashOf(r => r.CreateActor(typeof(Holder), new Holder.Setup(new Box { Next = new Box { Value = 2 } })), 1));
    }

    [Fact]
    public void Hash_EndsOnCycles_AndTellsCycleLengthsApart()
    {
        static Box Ring(int length)
        {
            var first = new Box();
            Box last = first;
            for (int i = 1; i < length; i++)
            {
                last = last.Next = new Box();
            }

            last.Next = first;
            return first;
        }

        UInt128 two = Capture.HashOf(r => r.CreateActor(typeof(Holder), new Holder.Setup(Ring(2))), 1);

        Assert.Equal(two, Capture.HashOf(r => r.CreateActor(typeof(Holder), new Holder.Setup(Ring(2))), 1));
        Assert.NotEqual(two, Capture.HashOf(r => r.CreateActor(typeof(Holder), new Holder.Setup(Ring(3))), 1));
    }

    [Fact]
    public void Hash_DistinguishesInboxOrder()
    {
        UInt128 pingPong = Capture.HashOf(r =>
        {
            ActorId a = r.CreateActor(typeof(Stacker));
            r.SendEvent(a, new Knock());
            r.SendEvent(a, new Answer());
        });
        UInt128 pongPing = Capture.HashOf(r =>
        {
            ActorId a = r.CreateActor(typeof(Stacker));
            r.SendEvent(a, new Answer());
            r.SendEvent(a, new Knock());
        });

        Assert.NotEqual(pingPong, pongPing);
    }

    [Fact]
    public void Hash_DistinguishesAPushedState_FromTheSameStateReachedByGoto()
    {
        // Both end with Second on top; the push keeps First below it.
        UInt128 pushed = Capture.HashOf(r => r.SendEvent(r.CreateActor(typeof(Stacker)), new Push()), 1, 1);
        UInt128 went = Capture.HashOf(r => r.SendEvent(r.CreateActor(typeof(Stacker)), new Go()), 1, 1);
        UInt128 started = Capture.HashOf(r => r.SendEvent(r.CreateActor(typeof(Stacker)), new Go()), 1);

        Assert.NotEqual(pushed, went);
        Assert.NotEqual(went, started);
    }

    [Fact]
    public void Hash_DistinguishesMonitorStates()
    {
        UInt128 idle = Capture.HashOf(r => r.RegisterMonitor<Watch>());
        UInt128 waiting = Capture.HashOf(r =>
        {
            r.RegisterMonitor<Watch>();
            r.Monitor<Watch>(new Knock());
        });
        UInt128 idleAgain = Capture.HashOf(r =>
        {
            r.RegisterMonitor<Watch>();
            r.Monitor<Watch>(new Knock());
            r.Monitor<Watch>(new Answer());
        });

        Assert.NotEqual(idle, waiting);
        Assert.Equal(idle, idleAgain);
    }

    [Fact]
    public void Hash_DistinguishesPendingSends_ByTarget()
    {
        // After the sender's first step its Knock waits in its outbox, not yet delivered.
        Action<IActorRuntime> SendTo(int which) => r =>
        {
            ActorId first = r.CreateActor(typeof(Stacker));
            ActorId second = r.CreateActor(typeof(Stacker));
            r.CreateActor(typeof(Sender), new Sender.Setup(which == 1 ? first : second));
        };

        Assert.NotEqual(Capture.HashOf(SendTo(1), 3), Capture.HashOf(SendTo(2), 3));
        Assert.Equal(Capture.HashOf(SendTo(1), 3, 3), Capture.HashOf(r =>
        {
            ActorId first = r.CreateActor(typeof(Stacker));
            r.CreateActor(typeof(Stacker));
            r.CreateActor(typeof(Sender), new Sender.Setup(first));
        }, 3, 3));
    }

    [Fact]
    public void Hash_SkipsNotHashedFields_ButMixesInHashedState()
    {
        UInt128 Counted(int ignored, int hashed) => Capture.HashOf(r => r.CreateActor(typeof(Counted), new Counted.Setup(ignored, hashed)), 1);

        Assert.Equal(Counted(1, 0), Counted(2, 0));
        Assert.NotEqual(Counted(1, 0), Counted(1, 1));
    }

    [Fact]
    public void Hash_IgnoresHowADictionaryOrSetWasBuilt_AndListCapacity()
    {
        UInt128 Built(int[] keys, int removed) => Capture.HashOf(r => r.CreateActor(typeof(Holder), new Holder.Setup(Collections(keys, removed))), 1);

        Assert.Equal(Built([1, 2, 3], 0), Built([3, 1, 2], 0));
        Assert.Equal(Built([1, 2, 3], 0), Built([4, 1, 2, 3], 4));
        Assert.NotEqual(Built([1, 2, 3], 0), Built([1, 2, 4], 0));
    }

    [Fact]
    public void Hash_OfADictionary_DoesNotDependOnInsertionOrder_ForAnyKeys()
    {
        // FsCheck: a permutation of the same keys gives the same state; adding a key changes it.
        Properties.Check(Prop.ForAll(
            Gen.Choose(0, 50).ArrayOf().Where(k => k.Length > 0).Select(k => k.Distinct().ToArray()).ToArbitrary(),
            keys =>
            {
                int[] reversed = keys.Reverse().ToArray();
                int extra = keys.Max() + 1;
                UInt128 forward = Capture.HashOf(r => r.CreateActor(typeof(Holder), new Holder.Setup(Collections(keys, -1))), 1);
                UInt128 backward = Capture.HashOf(r => r.CreateActor(typeof(Holder), new Holder.Setup(Collections(reversed, -1))), 1);
                UInt128 more = Capture.HashOf(r => r.CreateActor(typeof(Holder), new Holder.Setup(Collections([.. keys, extra], -1))), 1);
                return forward == backward && forward != more;
            }),
            maxTest: 50);
    }

    /// <summary>A dictionary, a set and a list holding <paramref name="keys"/>, with <paramref name="removed"/> taken out again.</summary>
    private static object Collections(int[] keys, int removed)
    {
        var map = new Dictionary<int, string>();
        var set = new HashSet<string>();
        var list = new List<int>();
        foreach (int k in keys)
        {
            map[k] = "v" + k;
            set.Add("s" + k);
        }

        foreach (int k in keys.Order())
        {
            list.Add(k);
        }

        map.Remove(removed);
        set.Remove("s" + removed);
        list.Remove(removed);
        return new object[] { map, set, list };
    }

    /// <summary>Sends a Knock to the target of its setup event when it starts.</summary>
    internal sealed class Sender : Actor
    {
        internal sealed class Setup(ActorId target) : Event
        {
            public ActorId Target { get; } = target;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            SendEvent(((Setup)initialEvent!).Target, new Knock());
            return Task.CompletedTask;
        }
    }

    internal sealed class Counted : Actor
    {
        [NotHashed]
        private int ignored;

        private int hashed;

        internal sealed class Setup(int ignored, int hashed) : Event
        {
            public int Ignored { get; } = ignored;

            public int Hashed { get; } = hashed;
        }

        protected override int HashedState => hashed;

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            var setup = (Setup)initialEvent!;
            ignored = setup.Ignored;
            hashed = setup.Hashed;
            return Task.CompletedTask;
        }

        internal int Ignored => ignored;
    }
}
