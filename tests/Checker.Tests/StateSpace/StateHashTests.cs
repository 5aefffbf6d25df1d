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

    [Fact]
    public void Hash_OfNarrowFields_PackedTwoToAWord_TellsEveryFieldApart()
    {
        // FsCheck: fields of 32 bits or fewer share hash words. An object and a copy with one
        // field set to another value (or the same) hash alike exactly when the two are equal,
        // whichever field it is and whatever bits the fields around it hold.
        static UInt128 Holding(Narrow n) => Capture.HashOf(r => r.CreateActor(typeof(Holder), new Holder.Setup(n)), 1);

        Gen<Narrow> narrow =
            from b in Gen.Elements(false, true)
            from u8 in Gen.Elements<byte>(0, 1, 255)
            from i16 in Gen.Elements<short>(0, -1, 1, short.MaxValue)
            from i32 in Gen.Elements(0, -1, 1, int.MinValue)
            from c in Gen.Elements('a', 'b', '\uffff')
            from f in Gen.Elements(0f, -0f, 1.5f)
            from e in Gen.Elements(DayOfWeek.Monday, DayOfWeek.Sunday)
            from l in Gen.Elements(0L, 1L << 40)
            select new Narrow { B = b, U8 = u8, I16 = i16, I32 = i32, C = c, F = f, E = e, L = l };
        Gen<(Narrow, Narrow)> pairs =
            from x in narrow
            from other in narrow
            from field in Gen.Choose(0, 7)
            select (x, x.With(field, other));
        Properties.Check(Prop.ForAll(
            pairs.ToArbitrary(),
            pair =>
            {
                (Narrow x, Narrow y) = pair;
                return (Holding(x) == Holding(y)) == x.Equals(y);
            }),
            maxTest: 1000);
    }

    [Fact]
    public void Hash_OfAnIntArray_PackedTwoToAWord_TellsEveryElementAndTheLengthApart()
    {
        // FsCheck: an int array against a copy with one element changed, or one more element
        // (zero, the value a missing half of a word would have): equal exactly when the copy is.
        static UInt128 Holding(int[] a) => Capture.HashOf(r => r.CreateActor(typeof(Holder), new Holder.Setup(a)), 1);

        Gen<(int[], int[])> pairs =
            from a in Gen.Elements(0, 1, -1, int.MinValue).ArrayOf()
            from at in Gen.Choose(0, 8)
            from v in Gen.Elements(0, 1, -1, int.MinValue)
            from grow in Gen.Elements(false, true)
            select (a, grow || a.Length == 0 ? [.. a, 0] : a.Select((x, i) => i == at % a.Length ? v : x).ToArray());
        Properties.Check(Prop.ForAll(
            pairs.ToArbitrary(),
            pair =>
            {
                (int[] x, int[] y) = pair;
                return (Holding(x) == Holding(y)) == x.SequenceEqual(y);
            }),
            maxTest: 300);
    }

    /// <summary>Fields of 32 bits or fewer among a wider one, compared bit for bit (so 0 and -0 differ, as they do to the hash).</summary>
    private sealed class Narrow : IEquatable<Narrow>
    {
        public bool B;
        public byte U8;
        public short I16;
        public long L;
        public int I32;
        public char C;
        public float F;
        public DayOfWeek E;

        /// <summary>A copy with field number <paramref name="field"/> taken from <paramref name="from"/>.</summary>
        public Narrow With(int field, Narrow from)
        {
            var copy = (Narrow)MemberwiseClone();
            switch (field)
            {
                case 0: copy.B = from.B; break;
                case 1: copy.U8 = from.U8; break;
                case 2: copy.I16 = from.I16; break;
                case 3: copy.L = from.L; break;
                case 4: copy.I32 = from.I32; break;
                case 5: copy.C = from.C; break;
                case 6: copy.F = from.F; break;
                default: copy.E = from.E; break;
            }

            return copy;
        }

        public bool Equals(Narrow? other) => other is not null && B == other.B && U8 == other.U8 && I16 == other.I16 && L == other.L
            && I32 == other.I32 && C == other.C && BitConverter.SingleToInt32Bits(F) == BitConverter.SingleToInt32Bits(other.F) && E == other.E;

        public override bool Equals(object? obj) => Equals(obj as Narrow);

        public override int GetHashCode() => HashCode.Combine(B, U8, I16, L, I32, C, BitConverter.SingleToInt32Bits(F), E);
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
