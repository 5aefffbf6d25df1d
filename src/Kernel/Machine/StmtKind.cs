namespace Verify.Kernel.Machine;

/// <summary>What a statement asks of the CPU that runs it, beyond running it.</summary>
public enum StmtKind
{
    /// <summary>One shared-memory access, lock operation or context transition.</summary>
    Plain,

    /// <summary>A statement of long work (softirq processing, teardown, userspace): it takes a whole jiffy in the rate model.</summary>
    LongWork,

    /// <summary>Calls a function: the CPU pushes its code as a frame and runs its first statement in the same step.</summary>
    Call,

    /// <summary>sti; hlt: interrupts on, and the CPU halts until an interrupt unless one is already pending.</summary>
    Halt,

    /// <summary>The CPU runs a guest, host interrupts off, until a host interrupt forces a VM exit.</summary>
    RunGuest,

    /// <summary>
    /// The task runs in user space, interrupts on, executing no kernel statement until a host
    /// interrupt (the tick, an IPI, the reschedule IPI of a wakeup) brings it into the kernel: a
    /// busy poller as the kernel sees it. Time passes over the CPU meanwhile.
    /// </summary>
    RunUser,

    /// <summary>A housekeeping kthread that set itself TASK_INTERRUPTIBLE gives up its CPU until woken.</summary>
    Sleep,

    /// <summary>
    /// Spinning on a lock another CPU holds: the CPU waits (as for an interrupt) until the holder
    /// releases it or an interrupt arrives, then runs the statement after, which checks again.
    /// Spinning costs one step, not one per iteration.
    /// </summary>
    Spin,
}
