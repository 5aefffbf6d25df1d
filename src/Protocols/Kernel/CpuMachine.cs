using Verify.Actors;

namespace Verify.Protocols.Kernel;

/// <summary>
/// One nohz_full CPU. Each step runs one statement: of the interrupt handler in progress, else of
/// the current task. A raised timer interrupt is taken at the first step boundary where interrupts
/// are enabled. A CPU halted in the idle loop waits for an interrupt and is not scheduled meanwhile.
/// A step that touched only this CPU's own variables (<see cref="Access"/>) and leaves it mid-jiffy
/// commutes with everything the other CPUs can do before it, so partial-order reduction may run it alone.
/// </summary>
[DeclaresSharedAccess]
internal sealed class CpuMachine : StateMachine
{
    private KernelState k = null!;
    private int cpu;

    // Hard-interrupt frames on this CPU's interrupt stack, innermost last.
    private readonly List<IEnumerator<string>> irqFrames = [];

    internal sealed class Setup(KernelState kernel, int cpu) : Event
    {
        internal KernelState Kernel { get; } = kernel;

        internal int Cpu { get; } = cpu;
    }

    /// <summary>An interrupt or IPI for a halted CPU (the flag that says which is in CpuState).</summary>
    internal sealed class Interrupt : Event
    {
        internal static readonly Interrupt Instance = new();
    }

    [Start]
    [OnEntry(nameof(OnSetup))]
    private sealed class Booting : State
    {
    }

    [OnEventDoAction(typeof(DefaultEvent), nameof(Step))]
    [IgnoreEvents(typeof(Interrupt))]
    private sealed class Running : State
    {
    }

    [OnEventGotoState(typeof(Interrupt), typeof(Running), nameof(OnWake))]
    private sealed class WaitForInterrupt : State
    {
    }

    private void OnSetup(Event e)
    {
        var s = (Setup)e;
        k = s.Kernel;
        cpu = s.Cpu;
        RaiseGotoStateEvent<Running>();
    }

    private void OnWake()
    {
        Access.BeginCpuStep(cpu);
        k.cpus[cpu].in_wfi = false;
        EndStep(k.cpus[cpu]);
    }

    private void Step()
    {
        Access.BeginCpuStep(cpu);
        CpuState c = k.cpus[cpu];
        bool longWork = irqFrames.Count == 0 && c.curr!.long_work;
        Execute(c);
        k.StatementRan(c, longWork);
        EndStep(c);
    }

    /// <summary>
    /// Tells the search whether the step was shared: it touched a shared variable, or it ran out
    /// the CPU's jiffy, after which do_timer() may come and touch this CPU's tick state.
    /// </summary>
    private void EndStep(CpuState c)
    {
        if (Access.EndCpuStep() || c.statements_since_tick >= k.config.StatementsPerJiffy)
        {
            NoteSharedAccess();
        }
    }

    private void Execute(CpuState c)
    {
        if (c.tick_pending && !c.irqs_disabled)
        {
            c.tick_pending = false;
            irqFrames.Add(Tick.Handler(k, c).GetEnumerator());
        }

        if (irqFrames.Count > 0)
        {
            RunIrqFrame(c);
            return;
        }

        TaskStruct t = c.curr!;
        Start(t);
        IEnumerator<string> frame = t.frames[^1];
        if (!frame.MoveNext())
        {
            t.frames.RemoveAt(t.frames.Count - 1);
            Assert(t.frames.Count > 0, "{0} ran off the end of its code on cpu{1}; a task ends in do_exit().", t.comm, cpu);
            Logger.WriteLine($"cpu{cpu} {t.comm}: preemption returns");
            return;
        }

        Logger.WriteLine($"cpu{cpu} {t.comm}: {frame.Current}");
        if (frame.Current == IdleTask.WaitForInterrupt)
        {
            // sti; hlt: interrupts are enabled and the CPU sleeps unless one is already pending.
            c.irqs_disabled = false;
            if (!c.tick_pending && !c.need_resched)
            {
                c.in_wfi = true;
                RaiseGotoStateEvent<WaitForInterrupt>();
            }
        }
        else if (frame.Current == TaskStruct.WaitInGuest && !c.tick_pending)
        {
            // The guest runs with host interrupts off until one is raised and forces a VM exit.
            c.in_wfi = true;
            RaiseGotoStateEvent<WaitForInterrupt>();
        }
    }

    /// <summary>A task that never ran starts at the top of its body.</summary>
    private void Start(TaskStruct t)
    {
        if (t.frames.Count == 0)
        {
            t.frames.Add(t.Body(k).GetEnumerator());
        }
    }

    private void RunIrqFrame(CpuState c)
    {
        IEnumerator<string> frame = irqFrames[^1];
        if (frame.MoveNext())
        {
            Logger.WriteLine($"cpu{cpu} [irq]: {frame.Current}");
            return;
        }

        irqFrames.RemoveAt(irqFrames.Count - 1);

        // Return from interrupt: preempt the interrupted task if a wakeup asked for it and it is preemptible
        // (the idle task reschedules itself from its loop instead).
        TaskStruct t = c.curr!;
        if (c.need_resched && c.preempt_count == 0 && t is not IdleTask)
        {
            Start(t);
            t.frames.Add(Scheduler.Schedule(k, c, "preempt_schedule_irq").GetEnumerator());
            Logger.WriteLine($"cpu{cpu} [irq]: irqentry_exit: preempt {t.comm}");
        }
        else
        {
            Logger.WriteLine($"cpu{cpu} [irq]: irqentry_exit");
        }
    }
}
