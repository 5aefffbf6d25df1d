using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Specifications;
using Xunit;

namespace Kernel.Tests.Substrate;

/// <summary>
/// The scheduler (issue 12, defects 4 and 6): preempt_count belongs to the CPU and every switch
/// happens at count 1; preempt_enable() decrements and tests need_resched on the CPU it runs on; a
/// task preempted after set_current_state() stays queued.
/// </summary>
public sealed class SchedulerTests
{
    /// <summary>
    /// A task preempted between set_current_state(TASK_INTERRUPTIBLE) and schedule() stays on its run
    /// queue and runs again, unwoken, to reach schedule(); every switch happens at preempt_count 1.
    /// Catches the old __schedule() that dequeued any task not TASK_RUNNING, even on preemption, so
    /// the CPU went idle with the task lost until a wakeup.
    /// </summary>
    [Fact]
    public void TaskPreempted_AfterSettingItselfToSleep_StaysQueued_AndRunsAgainUnwoken()
    {
        var config = new KernelConfig { Cpus = 1, MaxTicks = 2, StatementsPerJiffy = 4 };
        Verify.SystematicTesting.TestReport report = Litmus.Exhaust(config, k =>
        {
            var sleeper = new Sleeper();
            k.SetCurrent(k.cpus[0], sleeper);
            Litmus.ArmWakeup(k, 0, 1, new FifoKthread("irq/30-eth0", 0, work: 1));
            k.AddObserver(new SleeperStaysQueued(k, sleeper));
            k.AddObserver(new SwitchAtPreemptCountOne(k));
        });

        Litmus.AssertProved(report);
    }

    /// <summary>
    /// Every context switch happens at preempt_count 1, which stays raised until finish_task_switch()
    /// and schedule() return (the idle task loops at 1). Catches the old __schedule() that dropped the
    /// count before context_switch(), so the next task and the sched-in notifiers ran preemptible.
    /// </summary>
    [Fact]
    public void ContextSwitch_HappensAtPreemptCountOne_OnEveryPath()
    {
        var config = new KernelConfig { Cpus = 1, MaxTicks = 3, StatementsPerJiffy = 4 };
        Verify.SystematicTesting.TestReport report = Litmus.Exhaust(config, k =>
        {
            k.SetCurrent(k.cpus[0], new PreemptToggler());
            Litmus.ArmWakeup(k, 0, 1, new FifoKthread("irq/30-eth0", 0, work: 1));
            k.AddObserver(new SwitchAtPreemptCountOne(k));
        });

        Litmus.AssertProved(report);
    }

    /// <summary>
    /// A task preempted in or around preempt_enable() and moved to cpu1 by migration/0 goes on there:
    /// no CPU touches another's preempt_count, every switch is at count 1 and the task's
    /// preempt_disable() finds count 0 on whichever CPU it runs. Catches the old preempt_enable() that
    /// decremented, yielded at a preemptible point and then tested the count and need_resched through
    /// the CpuState captured before the task moved ("cpu1 touched cpu0's preempt_count").
    /// </summary>
    [Fact]
    public void PreemptEnable_TestsNeedResched_OnTheCpuTheTaskRunsOn_AfterAMigration()
    {
        // One tick suffices: it wakes migration/0 at the first jiffy.
        var config = new KernelConfig { Cpus = 2, MaxTicks = 1, StatementsPerJiffy = 3 };
        Verify.SystematicTesting.TestReport report = Litmus.Exhaust(config, k =>
        {
            var toggler = new PreemptToggler();
            k.SetCurrent(k.cpus[0], toggler);
            Litmus.ArmWakeup(k, 0, 1, new FifoKthread("migration/0", 0, work: 1, victim: toggler, to: 1));
            k.AddObserver(new SwitchAtPreemptCountOne(k));
        });

        Litmus.AssertProved(report);
    }
}

/// <summary>The sleeper is still queued when preempted, and the CPU goes idle only after the sleeper reached schedule().</summary>
internal sealed class SleeperStaysQueued(KernelState k, Sleeper sleeper) : IKernelObserver
{
    public void Observe(Monitor.Event e)
    {
        if (e is not ContextSwitch s)
        {
            return;
        }

        if (s.Prev == sleeper.comm && s.Caller == "preempt_schedule_irq")
        {
            Specification.Assert(sleeper.on_rq && k.cpus[0].runqueue.Contains(sleeper), "the sleeper was preempted in state {0} and left its run queue", sleeper.state);
        }

        if (s.ToIdle)
        {
            Specification.Assert(sleeper.reachedSchedule, "cpu{0} went idle ({1} -> {2}) before the preempted sleeper ran again to reach schedule()", s.Cpu, s.Prev, s.Next);
        }
    }
}

/// <summary>Every context switch happens at preempt_count 1 on the switching CPU, and the idle loop runs at 1.</summary>
internal sealed class SwitchAtPreemptCountOne(KernelState k) : IKernelObserver
{
    public void Observe(Monitor.Event e)
    {
        if (e is ContextSwitch s)
        {
            int count = k.cpus[s.Cpu].preempt_count;
            Specification.Assert(count == 1, "cpu{0} switched {1} -> {2} in {3} at preempt_count {4}", s.Cpu, s.Prev, s.Next, s.Caller, count);
        }
        else if (e is CpuidleEnter i)
        {
            int count = k.cpus[i.Cpu].preempt_count;
            Specification.Assert(count == 1, "the idle loop on cpu{0} runs at preempt_count {1}", i.Cpu, count);
        }
    }
}
