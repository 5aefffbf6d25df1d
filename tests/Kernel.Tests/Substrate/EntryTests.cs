using Verify.Kernel.ContextTracking;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Specifications;
using Xunit;

namespace Kernel.Tests.Substrate;

/// <summary>
/// Interrupts from user mode (issue 12, defects 3 and 5): irqentry_enter_from_user_mode() leaves the
/// user extended quiescent state, a preemption on the way back schedules in kernel state, and
/// exit_to_user_mode() re-enters it on the CPU the task returns from; user_mode(regs), not ct->state,
/// says whether a tick came from user.
/// </summary>
public sealed class EntryTests
{
    /// <summary>
    /// A tick from user mode that wakes a SCHED_FIFO kthread preempts the user task in kernel state:
    /// at every context switch the CPU is in CT_STATE_KERNEL and RCU watches, and the task's user code
    /// runs again only in CT_STATE_USER. Catches the old tick that took an interrupt from user mode
    /// through ct_irq_enter() and preempt_schedule_irq(), so the kthread ran with ct->state still USER.
    /// </summary>
    [Fact]
    public void IrqFromUser_ThatPreempts_SchedulesInKernelState_AndReturnsToUserState()
    {
        var config = new KernelConfig { Cpus = 1, MaxTicks = 3, StatementsPerJiffy = 4 };
        Verify.SystematicTesting.TestReport report = Litmus.Exhaust(config, k =>
        {
            var user = new UserLoop(0) { user_mode = true };
            k.SetCurrent(k.cpus[0], user);
            k.cpus[0].ct.UserEnter(CtState.User);
            Litmus.ArmWakeup(k, 0, 1, new FifoKthread("irq/30-eth0", 0, work: 2));
            k.AddObserver(new SwitchesInKernelState(k));
        });

        Litmus.AssertProved(report);
    }

    /// <summary>
    /// On a CPU outside nohz_full (context tracking off, the CPU 593377036e50 targets), a tick that
    /// interrupts user code is a tick from user. Catches the old tick that derived "user" from
    /// ct->state, which stays KERNEL where context tracking is off.
    /// </summary>
    [Fact]
    public void Tick_FromUserMode_IsFromUser_OnACpuWithoutContextTracking()
    {
        var config = new KernelConfig { Cpus = 1, MaxTicks = 2, NohzFull = false };
        Verify.SystematicTesting.TestReport report = Litmus.Exhaust(config, k =>
        {
            Assert.False(k.cpus[0].nohz_full);
            Assert.False(k.cpus[0].ct.active);
            k.SetCurrent(k.cpus[0], new UserLoop(0) { user_mode = true });
            k.AddObserver(new TickEntryChecks(k, expectUser: true));
        });

        Litmus.AssertProved(report);
    }
}

/// <summary>At every context switch the switching CPU is in the kernel as context tracking sees it, and RCU watches it.</summary>
internal sealed class SwitchesInKernelState(KernelState k) : IKernelObserver
{
    public void Observe(Monitor.Event e)
    {
        if (e is ContextSwitch s)
        {
            ContextTrackingState ct = k.cpus[s.Cpu].ct;
            Specification.Assert(
                ct.state == CtState.Kernel && ct.Watching,
                "cpu{0} switched {1} -> {2} in {3} with ct->state {4} and rcu_watching {5}",
                s.Cpu,
                s.Prev,
                s.Next,
                s.Caller,
                ct.state,
                ct.rcu_watching);
        }
    }
}
