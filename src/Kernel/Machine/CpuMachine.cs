using Verify.Actors;
using Verify.Specifications;
using Verify.Kernel.Irq;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Machine;

/// <summary>
/// One modelled CPU. Each step runs one statement: of the interrupt handler in progress, else of
/// the current task. A raised interrupt (the timer, or a call-function IPI) is taken at the first
/// step boundary where interrupts are enabled, and interrupts stay off until its return. A CPU halted in the idle loop or in a
/// guest waits for an interrupt and is not scheduled meanwhile. A step that touched only this
/// CPU's own variables (<see cref="Access"/>) and leaves it mid-jiffy commutes with everything the
/// other CPUs can do before it, so partial-order reduction may run it alone.
/// </summary>
[DeclaresSharedAccess]
internal sealed class CpuMachine : StateMachine
{
    private KernelState k = null!;
    private int cpu;

    // The memory substrate's SharedAccesses when the step began. Not model state.
    [NotHashed]
    private long memoryAccesses;

    // The interrupt handler in progress with the functions it called, innermost last.
    private readonly List<IEnumerator<Stmt>> irqFrames = [];

    // The interrupt in progress arrived from user mode.
    private bool irqFromUser;

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
        memoryAccesses = k.Memory?.SharedAccesses ?? 0;
        k.cpus[cpu].in_wfi = false;
        EndStep(k.cpus[cpu]);
    }

    private void Step()
    {
        Access.BeginCpuStep(cpu);
        memoryAccesses = k.Memory?.SharedAccesses ?? 0;
        CpuState c = k.cpus[cpu];
        bool longWork = Execute(c);
        k.StatementRan(c, longWork);
        EndStep(c);
    }

    /// <summary>
    /// Tells the search whether the step was shared: it touched a shared variable, or it ran out
    /// the CPU's jiffy, after which do_timer() may come and touch this CPU's tick state, or it
    /// accessed the memory substrate (<see cref="KernelState.Memory"/>).
    /// </summary>
    private void EndStep(CpuState c)
    {
        bool memory = k.Memory is { } m && m.SharedAccesses != memoryAccesses;
        if (Access.EndCpuStep() || memory || c.statements_since_tick >= k.config.StatementsPerJiffy)
        {
            NoteSharedAccess();
        }
    }

    /// <summary>Runs one statement; returns whether it was a statement of long work.</summary>
    private bool Execute(CpuState c)
    {
        TaskStruct t = c.curr!;
        if (!c.irqs_disabled && c.AckInterrupt() is IrqVector vector)
        {
            // The interrupt entry disables interrupts until its return.
            c.irqs_disabled = true;
            irqFromUser = t.user_mode;
            irqFrames.Add(IrqEntry.Handler(k, c, vector, irqFromUser).GetEnumerator());
        }

        if (irqFrames.Count > 0)
        {
            if (Frames.Next(irqFrames, out Stmt irqStmt))
            {
                Logger.WriteLine($"cpu{cpu} [irq]: {irqStmt.Text}");
                return irqStmt.Kind == StmtKind.LongWork;
            }

            IrqentryExit(c, t);
            return false;
        }

        Start(t);
        if (!Frames.Next(t.frames, out Stmt stmt))
        {
            Assert(false, "{0} ran off the end of its code on cpu{1}; a task ends in do_task_dead().", t.comm, cpu);
            return false;
        }

        Logger.WriteLine($"cpu{cpu} {t.comm}: {stmt.Text}");
        switch (stmt.Kind)
        {
            case StmtKind.Halt:
                // sti; hlt: interrupts are enabled and the CPU sleeps unless one is already pending.
                c.irqs_disabled = false;
                if (!c.InterruptPending && !c.need_resched)
                {
                    c.in_wfi = true;
                    RaiseGotoStateEvent<WaitForInterrupt>();
                }

                break;
            case StmtKind.Spin when c.irqs_disabled || !c.InterruptPending:
                // Wait for the holder's unlock (which kicks this CPU) or an interrupt.
                c.in_wfi = true;
                RaiseGotoStateEvent<WaitForInterrupt>();
                break;
            case StmtKind.RunUser when !c.InterruptPending && !c.need_resched:
                // User space runs, interrupts on, until one is raised.
                c.in_wfi = true;
                RaiseGotoStateEvent<WaitForInterrupt>();
                break;
            case StmtKind.RunGuest when !c.InterruptPending && !c.need_resched:
                // The guest runs with host interrupts off until one is raised (the tick, an IPI,
                // or the reschedule IPI of a wakeup) and forces a VM exit.
                c.in_wfi = true;
                RaiseGotoStateEvent<WaitForInterrupt>();
                break;
        }

        return stmt.Kind == StmtKind.LongWork;
    }

    /// <summary>A task that never ran starts at the top of its body.</summary>
    private void Start(TaskStruct t)
    {
        if (t.frames.Count == 0)
        {
            t.frames.Add(t.Body(k).GetEnumerator());
        }
    }

    /// <summary>
    /// irqentry_exit(): back to user mode through exit_to_user_mode() (which may schedule), or to
    /// the kernel, preempting the interrupted task if a wakeup asked for it and it is preemptible
    /// (preempt_schedule_irq()); else the return re-enables interrupts.
    /// </summary>
    private void IrqentryExit(CpuState c, TaskStruct t)
    {
        Start(t);
        if (irqFromUser)
        {
            t.frames.Add(EntryCommon.ExitToUserMode(k, t, "irqentry_exit_to_user_mode").GetEnumerator());
            Logger.WriteLine($"cpu{cpu} [irq]: irqentry_exit: to user mode");
        }
        else if (c.need_resched && c.preempt_count == 0)
        {
            t.frames.Add(Scheduler.Schedule(k, t, SchedMode.Preempt, "preempt_schedule_irq").GetEnumerator());
            Logger.WriteLine($"cpu{cpu} [irq]: irqentry_exit: preempt {t.comm}");
        }
        else
        {
            c.irqs_disabled = false;
            Logger.WriteLine($"cpu{cpu} [irq]: irqentry_exit");
        }

        irqFromUser = false;
    }
}
