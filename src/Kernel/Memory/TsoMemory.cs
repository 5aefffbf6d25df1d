using Verify.Actors;

namespace Verify.Kernel.Memory;

/// <summary>
/// x86-TSO (Sewell et al., "x86-TSO", CACM 2010): each CPU's stores enter its FIFO store buffer and
/// reach memory when its <see cref="StoreBufferFlusher"/> runs, a scheduling decision like any
/// other. A load takes the CPU's newest buffered store to the location, else memory. smp_mb() and
/// every atomic (a locked instruction, even atomic_inc() and a failed cmpxchg) and serializing
/// instructions drain the buffer first; smp_wmb(), smp_rmb() and smp_mb__{before,after}_atomic() are compiler barriers on x86.
/// </summary>
internal sealed class TsoMemory : SharedMemory
{
    private readonly List<int> values = [];
    private readonly List<BufferedStore>[] buffers;
    private readonly ActorId[] flushers;

    // Invariant: awake[cpu] <=> the flusher is draining or a StoreBuffered event is on its way to it,
    // so a store into a buffer whose flusher sleeps wakes it exactly once.
    private readonly bool[] awake;

    private readonly int capacity;

    internal TsoMemory(IActorRuntime runtime, int cpus, int capacity)
        : base(runtime, cpus)
    {
        this.capacity = capacity;
        buffers = new List<BufferedStore>[cpus];
        flushers = new ActorId[cpus];
        awake = new bool[cpus];
        for (int cpu = 0; cpu < cpus; cpu++)
        {
            buffers[cpu] = [];
            flushers[cpu] = runtime.CreateActor(typeof(StoreBufferFlusher), $"StoreBuffer(cpu{cpu})", new StoreBufferFlusher.Setup(this, cpu));
        }
    }

    public override MemoryMode Mode => MemoryMode.Tso;

    public override bool Quiescent => buffers.All(b => b.Count == 0);

    public override int ValueOf(Location x) => values[x.Index];

    /// <summary>Moves the oldest store of <paramref name="cpu"/>'s buffer to memory; false once the buffer is empty.</summary>
    internal bool FlushOne(int cpu)
    {
        List<BufferedStore> b = buffers[cpu];
        if (b.Count > 0)
        {
            BufferedStore s = b[0];
            b.RemoveAt(0);
            values[s.Location.Index] = s.Value;
            Logger.WriteLine($"cpu{cpu} store buffer: {s.Location} = {s.Value} reaches memory ({b.Count} left)");
        }

        if (b.Count == 0)
        {
            awake[cpu] = false;
        }

        Flushed?.Invoke();
        return b.Count > 0;
    }

    private protected override void Declared(Location x) => values.Add(x.Initial);

    private protected override int Load(int cpu, Location x, LoadOrder order, Dependency after, out Dependency dep)
    {
        CheckCpu(cpu);
        dep = default;
        List<BufferedStore> b = buffers[cpu];
        for (int i = b.Count - 1; i >= 0; i--)
        {
            if (b[i].Location == x)
            {
                Logger.WriteLine($"cpu{cpu} load {x} = {b[i].Value} forwarded from its store buffer");
                return b[i].Value;
            }
        }

        return values[x.Index];
    }

    private protected override void Store(int cpu, Location x, int value, StoreOrder order)
    {
        CheckCpu(cpu);
        List<BufferedStore> b = buffers[cpu];
        if (b.Count >= capacity)
        {
            // The CPU stalls until its oldest store leaves; the buffer stays non-empty, so the flusher's wake state holds.
            values[b[0].Location.Index] = b[0].Value;
            Logger.WriteLine($"cpu{cpu} store buffer full: {b[0].Location} = {b[0].Value} reaches memory first");
            b.RemoveAt(0);
        }

        b.Add(new BufferedStore(x, value));
        Logger.WriteLine($"cpu{cpu} store {x} = {value} enters its store buffer ({b.Count} waiting)");
        if (!awake[cpu])
        {
            awake[cpu] = true;
            Runtime.SendEvent(flushers[cpu], StoreBufferFlusher.StoreBuffered.Instance);
        }
    }

    private protected override bool Fence(int cpu, FenceKind kind)
    {
        CheckCpu(cpu);
        return kind switch
        {
            FenceKind.Mb => Drain(cpu, "smp_mb()"),
            FenceKind.Serialize => Drain(cpu, "a serializing instruction"),
            _ => false,
        };
    }

    private protected override int Rmw(int cpu, Location x, Func<int, int?> update, RmwOrder order)
    {
        CheckCpu(cpu);
        Drain(cpu, "a locked instruction");
        int old = values[x.Index];
        if (update(old) is int value)
        {
            values[x.Index] = value;
        }

        return old;
    }

    /// <summary>
    /// Empties the buffer into memory within the CPU's step; false if it was empty (then nothing
    /// another CPU sees changed). mfence waits until the flusher has done
    /// so; flushing at once reaches the same states, since other CPUs could only have run between
    /// those flushes, and they can run before this step instead.
    /// </summary>
    private bool Drain(int cpu, string why)
    {
        List<BufferedStore> b = buffers[cpu];
        if (b.Count == 0)
        {
            return false;
        }

        foreach (BufferedStore s in b)
        {
            values[s.Location.Index] = s.Value;
        }

        Logger.WriteLine($"cpu{cpu} {why} drains its store buffer ({b.Count} stores reach memory)");
        b.Clear();
        return true;
    }
}
