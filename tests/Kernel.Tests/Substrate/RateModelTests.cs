using Verify.Kernel.Irq;
using Verify.Kernel.Machine;
using Verify.Kernel.Time;
using Verify.Specifications;
using Xunit;

namespace Kernel.Tests.Substrate;

/// <summary>
/// The rate model and the tick (issue 12, defect 2 "time passes without progress"): a jiffy passes
/// only when the CPUs have done a jiffy's work, the tick handler runs with interrupts off until
/// irqentry_exit, and a halted CPU with an interrupt raised takes it before time goes on.
/// </summary>
public sealed class RateModelTests
{
    /// <summary>
    /// A tick interrupting a task that does long work costs its own statements, not a jiffy: between
    /// two do_timer() calls the interrupted task runs. Catches the old CpuMachine that decided "long
    /// work" from the task before pushing the tick frame, so the tick's first statement took a whole jiffy.
    /// </summary>
    [Fact]
    public void LongWork_IsAPropertyOfTheStatement_SoATickDoesNotStealTheJiffy()
    {
        var config = new KernelConfig { Cpus = 1, MaxTicks = 3 };
        Verify.SystematicTesting.TestReport report = Litmus.Exhaust(config, k =>
        {
            var worker = new LongWorker();
            k.SetCurrent(k.cpus[0], worker);
            k.AddObserver(new ProgressEveryJiffy(worker));
        });

        Litmus.AssertProved(report);
    }

    /// <summary>
    /// No tick is taken inside another tick's handler: a task that never leaves user mode sees every
    /// tick from user, with interrupts off and one hard-interrupt level. Catches the old Tick that
    /// re-enabled interrupts in its last statement, so a tick raised meanwhile nested inside the
    /// handler (seen as a tick from the kernel, after enter_from_user_mode()).
    /// </summary>
    [Fact]
    public void Tick_KeepsInterruptsOff_UntilIrqentryExit()
    {
        // Three statements a jiffy: a jiffy ends inside the handler, so another tick is raised there.
        var config = new KernelConfig { Cpus = 1, MaxTicks = 3, StatementsPerJiffy = 3 };
        Verify.SystematicTesting.TestReport report = Litmus.Exhaust(config, k =>
        {
            var user = new UserLoop(0) { user_mode = true };
            k.SetCurrent(k.cpus[0], user);
            k.cpus[0].ct.UserEnter(Verify.Kernel.ContextTracking.CtState.User);
            k.AddObserver(new TickEntryChecks(k, expectUser: true));
        });

        Litmus.AssertProved(report);
    }

    /// <summary>
    /// A CPU halted in a guest with the tick raised does not let time pass: at each do_timer() no CPU
    /// is halted with the previous tick still pending. Catches the old rate model that counted a
    /// halted CPU as quiet whether or not an interrupt was raised, so jiffies ran on with the forced
    /// VM exit never delivered.
    /// </summary>
    [Fact]
    public void HaltedCpu_WithATickRaised_TakesItBeforeTimePasses()
    {
        var config = new KernelConfig { Cpus = 1, MaxTicks = 3, StatementsPerJiffy = 4 };
        Verify.SystematicTesting.TestReport report = Litmus.Exhaust(config, k =>
        {
            k.SetCurrent(k.cpus[0], new GuestRunner());
            k.AddObserver(new NoTimeOverARaisedInterrupt(k));
        });

        Litmus.AssertProved(report);
    }
}

/// <summary>At each do_timer() after the first, the worker has run since the previous one.</summary>
internal sealed class ProgressEveryJiffy(LongWorker worker) : IKernelObserver
{
    public void Observe(Monitor.Event e)
    {
        if (e is DoTimer t)
        {
            Specification.Assert(
                !worker.timerSeen || worker.ranSinceTimer,
                "jiffies {0}: a jiffy passed while the interrupted long-work task made no progress",
                t.Jiffies);
            worker.timerSeen = true;
            worker.ranSinceTimer = false;
        }
    }
}

/// <summary>Every tick is entered with interrupts off, at hard-interrupt level 1, and (if expected) from user mode.</summary>
internal sealed class TickEntryChecks(KernelState k, bool expectUser) : IKernelObserver
{
    public void Observe(Monitor.Event e)
    {
        if (e is TickTaken t)
        {
            CpuState c = k.cpus[t.Cpu];
            Specification.Assert(c.irqs_disabled, "cpu{0} took a tick at jiffies {1} with interrupts enabled", t.Cpu, t.Jiffies);
            Specification.Assert(c.hardirq == 1, "cpu{0} took a tick at jiffies {1} at hardirq level {2}: ticks nest", t.Cpu, t.Jiffies, c.hardirq);
            Specification.Assert(
                !expectUser || t.User,
                "cpu{0} took a tick at jiffies {1} from the kernel while its task only runs in user mode: a tick nested in a tick's handler, or user_mode(regs) misread",
                t.Cpu,
                t.Jiffies);
        }
    }
}

/// <summary>At each do_timer(), no CPU is halted with the previous tick still raised.</summary>
internal sealed class NoTimeOverARaisedInterrupt(KernelState k) : IKernelObserver
{
    public void Observe(Monitor.Event e)
    {
        if (e is DoTimer t)
        {
            foreach (CpuState c in k.cpus)
            {
                Specification.Assert(
                    !(c.in_wfi && c.tick_pending),
                    "jiffies became {0} while cpu{1} was halted with the previous tick raised and not taken",
                    t.Jiffies,
                    c.cpu);
            }
        }
    }
}
