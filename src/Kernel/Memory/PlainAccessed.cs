using Verify.Specifications;

namespace Verify.Kernel.Memory;

/// <summary>
/// A task loaded or stored a <see cref="PlainVar"/>: which variable, who (task and CPU), the value
/// read or written, the locks it held (lockdep's held_locks, by name) and the code that did it.
/// </summary>
public sealed class PlainAccessed(string variable, string task, int cpu, bool store, long value, string[] heldLocks, string where) : Monitor.Event
{
    public string Variable { get; } = variable;

    public string Task { get; } = task;

    public int Cpu { get; } = cpu;

    public bool Store { get; } = store;

    public long Value { get; } = value;

    public IReadOnlyList<string> HeldLocks { get; } = heldLocks;

    public string Where { get; } = where;

    /// <summary>A store that completes a read-modify-write: its value came from this task's last load of the variable.</summary>
    public bool Rmw { get; init; }
}
