using Verify.Kernel.ContextTracking;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Irq;

/// <summary>kernel/entry/common.c: the transitions between user mode and the kernel, for syscalls and interrupts.</summary>
public static class EntryCommon
{
    /// <summary>enter_from_user_mode(): user_exit_irqoff() -> ct_user_exit(CT_STATE_USER) where context tracking runs.</summary>
    internal static void EnterFromUserMode(CpuState c)
    {
        c.curr!.user_mode = false;
        if (c.ct.active && c.ct.state == CtState.User)
        {
            c.ct.UserExit();
        }
    }

    /// <summary>A syscall from user mode: enter_from_user_mode() as one statement.</summary>
    public static IEnumerable<Stmt> SyscallEnter(KernelState k, TaskStruct t, string syscall)
    {
        EnterFromUserMode(k.cpus[t.cpu]);
        yield return $"{syscall}: enter_from_user_mode(): ct_user_exit()";
    }

    /// <summary>
    /// exit_to_user_mode(): exit_to_user_mode_loop() schedules while need_resched is set (interrupts
    /// on, in the kernel), then user_enter_irqoff() -> ct_user_enter(CT_STATE_USER) on the CPU the
    /// task returns to user from, and the return to user mode re-enables interrupts.
    /// </summary>
    public static IEnumerable<Stmt> ExitToUserMode(KernelState k, TaskStruct t, string path)
    {
        // syscall_exit_to_user_mode(): local_irq_disable_exit_to_user() (already off on an interrupt's return).
        k.cpus[t.cpu].irqs_disabled = true;
        while (k.cpus[t.cpu].need_resched)
        {
            k.cpus[t.cpu].irqs_disabled = false;
            yield return $"{path}: exit_to_user_mode_loop: local_irq_enable()";
            yield return Stmt.Call(Scheduler.Schedule(k, t, SchedMode.Voluntary, "exit_to_user_mode_loop: schedule"));
            k.cpus[t.cpu].irqs_disabled = true;
            yield return $"{path}: exit_to_user_mode_loop: local_irq_disable()";
        }

        CpuState c = k.cpus[t.cpu];
        if (c.ct.active)
        {
            c.ct.UserEnter(CtState.User);
        }

        t.user_mode = true;
        c.irqs_disabled = false;
        yield return $"{path}: exit_to_user_mode(): ct_user_enter()";
    }
}
