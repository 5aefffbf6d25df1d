using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Memory;

/// <summary>
/// A plain shared variable (an <c>unsigned long</c> field read and written without atomics). C's
/// <c>x++</c> or <c>WRITE_ONCE(x, READ_ONCE(x) + 1)</c> on it is a load step and a store step, so two
/// callers of the same function can interleave between them. Every access is observed
/// (<see cref="PlainAccessed"/>) with the locks the task holds, so a monitor can apply an
/// exclusive-writer or lock-held check to any variable; a version's own
/// <c>ASSERT_EXCLUSIVE_WRITER()</c> is <see cref="Sync.ExclusiveWriter.Assert"/>.
/// </summary>
public sealed class PlainVar(string name)
{
    public string name { get; } = name;

    /// <summary>The value, for initialization and for monitors; model code reads it with <see cref="Load"/>.</summary>
    public long value { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>
    /// The ASSERT_EXCLUSIVE_WRITER() watches open on this variable (KCSAN's watchpoints): the
    /// asserting task and where it asserted. Another task's store while one is open is a report.
    /// </summary>
    internal List<(TaskStruct Task, string Where)> exclusive_watches { get => Access.Shared(field); } = [];

    /// <summary>A load (READ_ONCE or plain): one step's access; returns the value.</summary>
    public long Load(KernelState k, TaskStruct t, string where)
    {
        long v = value;
        k.Observe(new PlainAccessed(name, t.comm, t.cpu, store: false, v, HeldLockNames(t), where));
        return v;
    }

    /// <summary>
    /// A store (WRITE_ONCE or plain): one step's access; <paramref name="rmw"/> when it completes a
    /// read-modify-write whose load was this task's last load of the variable. Another task's store
    /// inside an open exclusive-writer watch is KCSAN's report.
    /// </summary>
    public void Store(KernelState k, TaskStruct t, long v, string where, bool rmw = false)
    {
        Sync.ExclusiveWriter.CheckStore(k, this, t, where);
        value = v;
        k.Observe(new PlainAccessed(name, t.comm, t.cpu, store: true, v, HeldLockNames(t), where) { Rmw = rmw });
        // The asserting access is done: its watch ends with its store.
        exclusive_watches.RemoveAll(w => w.Task == t);
    }

    private static string[] HeldLockNames(TaskStruct t) =>
        t.held_locks.Count == 0 ? [] : t.held_locks.Select(l => l.name).ToArray();

    public override string ToString() => name;
}
