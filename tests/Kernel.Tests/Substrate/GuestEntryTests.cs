using Verify.Actors;
using Verify.Kernel.ContextTracking;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Kernel.Time;
using Verify.Specifications;
using Xunit;

namespace Kernel.Tests.Substrate;

/// <summary>
/// Guest entry with a reschedule pending. vcpu_enter_guest() checks kvm_vcpu_exit_request()
/// (xfer_to_guest_mode_work_pending(): TIF_NEED_RESCHED) with interrupts off and does not enter the
/// guest, and a reschedule IPI forces a VM exit; so a CPU never sits in a guest with need_resched set.
/// </summary>
public sealed class GuestEntryTests
{
    /// <summary>
    /// A tick in the vCPU's preempt-disabled entry path wakes a SCHED_FIFO kthread (need_resched set,
    /// no preemption yet); the vCPU then enters the guest. Time must still reach the end of the run.
    /// Failed before the fix: StmtKind.RunGuest halted the CPU whenever no
    /// tick is pending (CpuMachine.Execute), even with need_resched set, and such a CPU is not "halted
    /// quietly" (CpuState.HaltedQuietly), so unless it had already run out its jiffy time never passes,
    /// no tick forces the exit, and the run ends early with the kthread never run. RunGuest, like
    /// Halt, now does not halt with need_resched set.
    /// </summary>
    [Fact]
    public void GuestEntry_WithNeedReschedSet_DoesNotStopTime()
    {
        // The default sixteen statements a jiffy: the vCPU halts before it has run out its jiffy.
        var config = new KernelConfig { Cpus = 1, MaxTicks = 3 };
        Verify.SystematicTesting.TestReport report = Litmus.Exhaust(config, (r, k) =>
        {
            r.RegisterMonitor<TimeKeepsPassing>();
            r.Monitor<TimeKeepsPassing>(new TimeKeepsPassing.Until(config.StartJiffies + config.MaxTicks));
            k.SetCurrent(k.cpus[0], new VcpuEntry());
            Litmus.ArmWakeup(k, 0, 1, new FifoKthread("irq/30-eth0", 0, work: 1));
            k.AddObserver(new DoTimerToMonitor());
        });

        Litmus.AssertProved(report);
    }
}

/// <summary>vcpu_enter_guest() reduced: preempt_disable(), interrupts off, guest entry, the guest, exit, interrupts on, preempt_enable().</summary>
internal sealed class VcpuEntry() : TaskStruct("vcpu", schedFifo: false, cpu: 0)
{
    protected internal override IEnumerable<Stmt> Body(KernelState k)
    {
        while (true)
        {
            CpuState c = ThisCpu(k);
            c.preempt_count++;
            yield return "vcpu_enter_guest: preempt_disable()";
            c.irqs_disabled = true;
            yield return "vcpu_enter_guest: local_irq_disable()";
            c.ct.UserEnter(CtState.Guest);
            yield return "guest_context_enter_irqoff()";
            yield return Stmt.RunGuest("guest runs until a VM exit");
            c.ct.UserExit();
            yield return "guest_context_exit_irqoff()";
            c.irqs_disabled = false;
            yield return "vcpu_enter_guest: local_irq_enable()";
            yield return Stmt.Call(Scheduler.PreemptEnable(k, this, "vcpu_enter_guest"));
        }
    }
}

/// <summary>Hot until jiffies reach a target: a run that ends with time stopped early is a liveness bug.</summary>
public sealed class TimeKeepsPassing : Monitor
{
    private int until;

    public sealed class Until(int jiffies) : Event
    {
        public int Jiffies { get; } = jiffies;
    }

    [Start]
    [Hot]
    [OnEventDoAction(typeof(Until), nameof(OnUntil))]
    [OnEventDoAction(typeof(DoTimer), nameof(OnDoTimer))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Waiting : State
    {
    }

    [Cold]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Done : State
    {
    }

    private void OnUntil(Event e) => until = ((Until)e).Jiffies;

    private void OnDoTimer(Event e)
    {
        if (((DoTimer)e).Jiffies >= until)
        {
            RaiseGotoStateEvent<Done>();
        }
    }
}

/// <summary>Hands do_timer() to the <see cref="TimeKeepsPassing"/> monitor.</summary>
internal sealed class DoTimerToMonitor : IKernelObserver
{
    public void Observe(Monitor.Event e)
    {
        if (e is DoTimer)
        {
            Specification.Monitor<TimeKeepsPassing>(e);
        }
    }
}
