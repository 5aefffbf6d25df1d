using Verify.Kernel.Sync;
using Verify.Specifications;

namespace Verify.Protocols.Qpw;

/// <summary>
/// One access to D[<c>Cpu</c>]'s item count by <c>Task</c> running on <c>TaskCpu</c>, holding the
/// QPW lock of CPU <c>LockCpu</c> (-1: none): a load, or the store that completes a
/// read-modify-write, after which the cache holds <c>Nr</c> items of the <c>Added</c> ever added
/// and <c>Drained</c> ever drained. <c>Caller</c> says whose per-CPU data it is (a work mix drains two callers' data).
/// </summary>
public sealed class PcpAccessed(int cpu, string task, int taskCpu, int lockCpu, bool store, int nr, int added, int drained, Caller caller) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public Caller Caller { get; } = caller;

    public string Task { get; } = task;

    public int TaskCpu { get; } = taskCpu;

    public int LockCpu { get; } = lockCpu;

    public bool Store { get; } = store;

    public int Nr { get; } = nr;

    public int Added { get; } = added;

    public int Drained { get; } = drained;
}

/// <summary>A drain of every CPU began (lru_add_drain_all(), drain_all_stock(), flush_all_cpus_locked()); <c>Added</c> is each CPU's count of items ever added then, of the <c>Caller</c>'s data.</summary>
public sealed class DrainAllStarted(string drainer, int[] added, Caller caller) : Monitor.Event
{
    public string Drainer { get; } = drainer;

    public Caller Caller { get; } = caller;

    public IReadOnlyList<int> Added { get; } = added;
}

/// <summary>That drain returned; <c>Drained</c> is each CPU's count of items ever drained then.</summary>
public sealed class DrainAllReturned(string drainer, int[] drained) : Monitor.Event
{
    public string Drainer { get; } = drainer;

    public IReadOnlyList<int> Drained { get; } = drained;
}

/// <summary>The cpuset writer <c>Writer</c> began waiting for the drains in flight on the CPU it isolates: synchronize_rcu(), then flush_work().</summary>
public sealed class WriterWaitStarted(string writer) : Monitor.Event
{
    public string Writer { get; } = writer;
}

/// <summary>That wait (its flush_work()) returned.</summary>
public sealed class WriterWaitReturned(string writer) : Monitor.Event
{
    public string Writer { get; } = writer;
}

/// <summary>FLUSHING_CACHED_CHARGE of CPU <c>Cpu</c>'s stock was set (test_and_set_bit() by a drainer) or cleared (drain_local_stock()).</summary>
public sealed class FlushingBit(int cpu, bool set) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public bool Set { get; } = set;
}

/// <summary>CPU <c>Cpu</c>'s isolation is in force: isolated at boot, or the cpuset writer's update has returned.</summary>
public sealed class IsolationInForce(int cpu) : Monitor.Event
{
    public int Cpu { get; } = cpu;
}

/// <summary>
/// A per-CPU QPW lock of CPU <c>LockCpu</c> was taken by a task on <c>ByCpu</c> (-1: the
/// housekeeping CPU), for the statistics' hand-off count and cost model: <c>Kind</c> is the lock's
/// kind and <c>PreemptRt</c> the kernel's, which together say what the acquisition does;
/// <c>CallerPinned</c> when the caller had called migrate_disable() itself before it (beyond the
/// pinning the lock does on PREEMPT_RT); <c>ByOwner</c> when it is the owner's fast path.
/// </summary>
public sealed class QpwLockTaken(int lockCpu, int byCpu, LockKind kind, bool preemptRt, bool callerPinned, bool byOwner) : Monitor.Event
{
    public int LockCpu { get; } = lockCpu;

    public int ByCpu { get; } = byCpu;

    public LockKind Kind { get; } = kind;

    public bool PreemptRt { get; } = preemptRt;

    public bool CallerPinned { get; } = callerPinned;

    public bool ByOwner { get; } = byOwner;
}
