using Verify.Actors;
using Verify.Logging;
using Verify.Specifications;

namespace Verify.Kernel.Memory;

/// <summary>
/// The shared memory of a modelled machine, in the kernel's ordering vocabulary. A CPU calls one of
/// these in one statement (one step of its actor): <c>mem.WriteOnce(cpu, x, 1)</c>. What a load may
/// return depends on the <see cref="MemoryMode"/> chosen at boot: under SC the last store; under TSO
/// also the CPU's own buffered store; under Lkmm any store the CPU's view still allows, picked by a
/// recorded choice. So the strategies and the stateful search explore the memory's freedom the way
/// they explore schedules, and a trace replays it.
/// </summary>
/// <remarks>
/// The memory lives in the model state: every object it holds is hashed and restored with the
/// actors that reach it, except the runtime it asks for choices. Declare every location before the
/// first access (as a kernel declares its variables before any CPU runs).
/// </remarks>
public abstract class SharedMemory
{
    [NotHashed]
    private readonly IActorRuntime runtime;

    private readonly List<Location> locations = [];

    private protected SharedMemory(IActorRuntime runtime, int cpus)
    {
        this.runtime = runtime;
        Cpus = cpus;
    }

    public abstract MemoryMode Mode { get; }

    public int Cpus { get; }

    /// <summary>The declared locations, by index.</summary>
    public IReadOnlyList<Location> Locations => locations;

    /// <summary>
    /// Called after each store-buffer flush (TSO), so that whoever judges the end of a run (a litmus
    /// test's outcome) sees the step in which the last buffered store reached memory. Not model state.
    /// </summary>
    [field: NotHashed]
    public Action? Flushed { get; set; }

    /// <summary>
    /// Operations so far that touched state another CPU can see or change (all but the barriers
    /// that only update the calling CPU's own view). A CPU actor that declares its shared accesses
    /// compares it before and after a statement and calls NoteSharedAccess() when it moved, so
    /// partial-order reduction may run the other statements alone. Not model state.
    /// </summary>
    [field: NotHashed]
    public long SharedAccesses { get; private set; }

    /// <summary>No store is waiting to reach memory (always true outside TSO).</summary>
    public virtual bool Quiescent => true;

    private protected ILogger Logger => runtime.Logger;

    private protected IActorRuntime Runtime => runtime;

    /// <summary>
    /// Boots the memory: under TSO this creates one store-buffer actor per CPU, so call it from the
    /// test body. <paramref name="staleStores"/> bounds how far behind a CPU may see a location:
    /// under TSO a store buffer holds at most that many stores (a store into a full one first
    /// flushes the oldest, as a CPU stalls until it can), under Lkmm a load returns a store at most
    /// that many stores older than the newest. Without a bound a CPU that keeps storing while the
    /// others never look makes the state space infinite.
    /// </summary>
    public static SharedMemory Boot(IActorRuntime runtime, MemoryMode mode, int cpus, int staleStores = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(staleStores, 1);
        return mode switch
        {
            MemoryMode.Sc => new ScMemory(runtime, cpus),
            MemoryMode.Tso => new TsoMemory(runtime, cpus, staleStores),
            MemoryMode.Lkmm => new LkmmMemory(runtime, cpus, staleStores),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown memory mode"),
        };
    }

    public Location Declare(string name, int initial = 0)
    {
        var x = new Location(name, locations.Count, initial);
        locations.Add(x);
        Declared(x);
        return x;
    }

    /// <summary>A DEFINE_PER_CPU variable that other CPUs read or write (e.g. kernel_cr3_loaded): one location per CPU, named name[cpuN].</summary>
    public Location[] DeclarePerCpu(string name, int initial = 0) =>
        Enumerable.Range(0, Cpus).Select(cpu => Declare($"{name}[cpu{cpu}]", initial)).ToArray();

    /// <summary>The value memory holds now (a store still in a buffer is not there yet): for outcomes and monitors, not for CPUs.</summary>
    public abstract int ValueOf(Location x);

    // Loads.
    public int Read(int cpu, Location x) => Loaded(cpu, x, LoadOrder.Plain, default, out _);

    public int ReadOnce(int cpu, Location x) => Loaded(cpu, x, LoadOrder.Once, default, out _);

    /// <summary><c>READ_ONCE(p->x)</c> where <c>p</c> came from <c>rcu_dereference()</c>: ordered after that load by the address dependency.</summary>
    public int ReadOnce(int cpu, Location x, Dependency after) => Loaded(cpu, x, LoadOrder.Once, after, out _);

    public int SmpLoadAcquire(int cpu, Location x) => Loaded(cpu, x, LoadOrder.Acquire, default, out _);

    /// <summary><c>rcu_dereference()</c>: a <c>READ_ONCE()</c> whose value later loads depend on (pass <paramref name="dep"/> to them).</summary>
    public int RcuDereference(int cpu, Location p, out Dependency dep) => Loaded(cpu, p, LoadOrder.Once, default, out dep);

    public int AtomicRead(int cpu, Location v) => ReadOnce(cpu, v);

    // Stores.
    public void Write(int cpu, Location x, int value) => Stored(cpu, x, value, StoreOrder.Plain);

    public void WriteOnce(int cpu, Location x, int value) => Stored(cpu, x, value, StoreOrder.Once);

    public void SmpStoreRelease(int cpu, Location x, int value) => Stored(cpu, x, value, StoreOrder.Release);

    public void RcuAssignPointer(int cpu, Location p, int value) => Stored(cpu, p, value, StoreOrder.Release);

    public void AtomicSet(int cpu, Location v, int value) => WriteOnce(cpu, v, value);

    // Barriers.
    public void SmpMb(int cpu) => Barrier(cpu, FenceKind.Mb);

    public void SmpWmb(int cpu) => Barrier(cpu, FenceKind.Wmb);

    public void SmpRmb(int cpu) => Barrier(cpu, FenceKind.Rmb);

    public void SmpMbBeforeAtomic(int cpu) => Barrier(cpu, FenceKind.AroundAtomic);

    public void SmpMbAfterAtomic(int cpu) => Barrier(cpu, FenceKind.AroundAtomic);

    /// <summary><c>sync_core()</c> or another serializing event (a CR3 write, <c>iret</c>): drains the store buffer on x86.</summary>
    public void SyncCore(int cpu) => Barrier(cpu, FenceKind.Serialize);

    // Atomics. Value-returning ones are fully ordered; void and _relaxed ones order nothing
    // (Documentation/atomic_t.txt). Under TSO every one is a locked instruction all the same.
    public void AtomicAdd(int cpu, Location v, int i) => Updated(cpu, v, old => old + i, RmwOrder.Relaxed);

    public void AtomicInc(int cpu, Location v) => AtomicAdd(cpu, v, 1);

    public void AtomicDec(int cpu, Location v) => AtomicAdd(cpu, v, -1);

    public int AtomicAddReturn(int cpu, Location v, int i) => Updated(cpu, v, old => old + i, RmwOrder.Full) + i;

    public int AtomicAddReturnRelaxed(int cpu, Location v, int i) => Updated(cpu, v, old => old + i, RmwOrder.Relaxed) + i;

    public int Xchg(int cpu, Location x, int value) => Updated(cpu, x, _ => value, RmwOrder.Full);

    public int XchgRelaxed(int cpu, Location x, int value) => Updated(cpu, x, _ => value, RmwOrder.Relaxed);

    /// <summary>Returns the value found; stores <paramref name="value"/> if it was <paramref name="old"/>. Fully ordered only when it succeeds.</summary>
    public int AtomicCmpxchg(int cpu, Location v, int old, int value) => Updated(cpu, v, cur => cur == old ? value : null, RmwOrder.Full);

    public int AtomicCmpxchgRelaxed(int cpu, Location v, int old, int value) => Updated(cpu, v, cur => cur == old ? value : null, RmwOrder.Relaxed);

    public int AtomicCmpxchgAcquire(int cpu, Location v, int old, int value) => Updated(cpu, v, cur => cur == old ? value : null, RmwOrder.Acquire);

    public int AtomicCmpxchgRelease(int cpu, Location v, int old, int value) => Updated(cpu, v, cur => cur == old ? value : null, RmwOrder.Release);

    public int XchgAcquire(int cpu, Location x, int value) => Updated(cpu, x, _ => value, RmwOrder.Acquire);

    public int XchgRelease(int cpu, Location x, int value) => Updated(cpu, x, _ => value, RmwOrder.Release);

    // Locks. A statement-level model spins with one attempt per statement:
    //     while (!mem.SpinTryLock(cpu, l)) yield return "spin_lock(&l): spinning";
    // Acquiring is an acquire cmpxchg (a locked instruction on x86), releasing a release store (a
    // plain mov on x86), as the qspinlock fast paths are. The LKMM's extra ordering of an unlock
    // followed by a lock (po-unlock-lock-po) is not modelled; see README.md.

    /// <summary><c>spin_trylock()</c>: true if it took the lock (a location holding 0 when free).</summary>
    public bool SpinTryLock(int cpu, Location l) => AtomicCmpxchgAcquire(cpu, l, 0, 1) == 0;

    public void SpinUnlock(int cpu, Location l) => SmpStoreRelease(cpu, l, 0);

    /// <summary>True if it stored; on failure writes the value found into <paramref name="old"/>, as the kernel's does.</summary>
    public bool AtomicTryCmpxchg(int cpu, Location v, ref int old, int value)
    {
        int expected = old;
        int found = AtomicCmpxchg(cpu, v, expected, value);
        if (found == expected)
        {
            return true;
        }

        old = found;
        return false;
    }

    private int Loaded(int cpu, Location x, LoadOrder order, Dependency after, out Dependency dep)
    {
        SharedAccesses++;
        return Load(cpu, x, order, after, out dep);
    }

    private void Stored(int cpu, Location x, int value, StoreOrder order)
    {
        SharedAccesses++;
        Store(cpu, x, value, order);
    }

    private int Updated(int cpu, Location x, Func<int, int?> update, RmwOrder order)
    {
        SharedAccesses++;
        return Rmw(cpu, x, update, order);
    }

    private void Barrier(int cpu, FenceKind kind)
    {
        if (Fence(cpu, kind))
        {
            SharedAccesses++;
        }
    }

    /// <summary>Answers a choice among <paramref name="count"/> possibilities; one needs no decision in the trace.</summary>
    private protected int Choose(int count) => count == 1 ? 0 : runtime.RandomInteger(count);

    private protected void CheckCpu(int cpu)
    {
        if ((uint)cpu >= (uint)Cpus)
        {
            throw new ArgumentOutOfRangeException(nameof(cpu), cpu, $"this machine booted with {Cpus} CPUs");
        }
    }

    private protected abstract void Declared(Location x);

    private protected abstract int Load(int cpu, Location x, LoadOrder order, Dependency after, out Dependency dep);

    private protected abstract void Store(int cpu, Location x, int value, StoreOrder order);

    /// <summary>Runs a barrier; true if it touched state other CPUs see (a drained buffer, the global strong-fence view).</summary>
    private protected abstract bool Fence(int cpu, FenceKind kind);

    /// <summary>
    /// A read-modify-write: <paramref name="update"/> maps the value read to the value to store, or
    /// to null for none (a failed cmpxchg, which is only a load and orders nothing). Returns the
    /// value read.
    /// </summary>
    private protected abstract int Rmw(int cpu, Location x, Func<int, int?> update, RmwOrder order);
}
