using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Specifications;

namespace Verify.Kernel.Sync;

/// <summary>
/// One lock instance of a <see cref="LockClass"/>, with its holder, so a model can ask who holds
/// what in which context, and the tasks that sleep waiting for it (sleeping kinds) or the CPUs
/// spinning on it (spinning kinds).
/// </summary>
public sealed class KernelLock(LockClass lockClass, string name)
{
    [field: Frozen]
    public LockClass lock_class { get; } = lockClass;

    /// <summary>The instance's name for traces, e.g. "cpu1's lock".</summary>
    [field: Frozen]
    public string name { get; } = name;

    /// <summary>The holding task, null when free.</summary>
    public TaskStruct? owner { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>The CPU the holder took it on (for local locks and recursion checks), -1 when free.</summary>
    public int owner_cpu { get => Access.Shared(field); set => field = Access.Shared(value); } = -1;

    /// <summary>Tasks asleep waiting for a sleeping lock, in arrival order.</summary>
    public List<TaskStruct> waiters { get => Access.Shared(field); } = [];

    /// <summary>Bit N set while CPU N spins on this lock.</summary>
    public int spinners { get => Access.Shared(field); set => field = Access.Shared(value); }

    public bool IsHeldBy(TaskStruct t) => owner == t;

    public override string ToString() => name;
}
