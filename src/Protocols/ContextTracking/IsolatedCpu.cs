using Verify.Actors;
using Verify.Kernel.ContextTracking;
using Verify.Kernel.Machine;

namespace Verify.Protocols.ContextTracking;

/// <summary>
/// An isolated (nohz_full) CPU, cpu0 and with <see cref="CtParams.IsolatedCpus"/> more the next
/// ones, each on its own per-CPU state (<see cref="CtCpu"/>): one statement per step of its activity, then it rests where the
/// activity left it (user space, idle, a guest, a kernel wait), halted until an interrupt. A raised
/// call-function IPI is taken at the first step boundary with interrupts on: from user space through
/// the interrupt entry from user, from idle through ct_irq_enter(), from a guest through a VM exit,
/// in the kernel through irqentry_enter(). Interrupts are off from entry until the return, and on
/// the entry paths until the activity's code enables them. The CPU boots halted and is started by one
/// kick from the test body (the start-up IPI), and every run ends with it halted, so every run
/// covers the same states and transitions whatever interrupts it takes between.
/// </summary>
internal sealed class IsolatedCpu : StateMachine
{
    private CtKernel k = null!;
    private CtCpu c = null!;
    private CtCode code = null!;
    // The activity's call frames (empty once it has ended) and the interrupt's (empty outside one).
    private readonly List<IEnumerator<Stmt>> program = [];
    private readonly List<IEnumerator<Stmt>> irq = [];
    private bool irqs_disabled;

    internal sealed class Setup(CtKernel kernel, CtCpu cpu) : Event
    {
        internal CtKernel Kernel { get; } = kernel;

        internal CtCpu Cpu { get; } = cpu;
    }

    /// <summary>An interrupt for a halted isolated CPU.</summary>
    internal sealed class Kick : Event
    {
        internal static readonly Kick Instance = new();
    }

    [Start]
    [OnEntry(nameof(OnSetup))]
    private sealed class Booting : State
    {
    }

    [OnEventDoAction(typeof(DefaultEvent), nameof(Step))]
    [IgnoreEvents(typeof(Kick))]
    private sealed class Running : State
    {
    }

    [OnEventGotoState(typeof(Kick), typeof(Running), nameof(OnWake))]
    private sealed class Halted : State
    {
    }

    private void OnSetup(Event e)
    {
        var setup = (Setup)e;
        k = setup.Kernel;
        c = setup.Cpu;
        code = new CtCode(k, c) { Choose = RandomBoolean };
        c.context = CtKernel.StateAtBoot(k.scenario.Activity);
        program.Add(Program().GetEnumerator());
        c.halted = true;
        RaiseGotoStateEvent<Halted>();
    }

    private void OnWake() => c.halted = false;

    private void Step()
    {
        k.SampleContexts();
        if (irq.Count == 0 && !irqs_disabled && c.ipi_pending)
        {
            // The interrupt entry disables interrupts until its return.
            c.ipi_pending = false;
            irqs_disabled = true;
            irq.Add(CallFunctionInterrupt(c.context).GetEnumerator());
        }

        if (irq.Count > 0)
        {
            if (Frames.Next(irq, out Stmt s))
            {
                Logger.WriteLine($"{c.name} [irq]: {s.Text}");
                return;
            }

            // irqentry_exit(): the return re-enables interrupts; the interrupted code goes on at the next step.
            irqs_disabled = false;
            Logger.WriteLine($"{c.name} [irq]: return from interrupt");
            return;
        }

        if (Frames.Next(program, out Stmt stmt))
        {
            Logger.WriteLine($"{c.name}: {stmt.Text}");
            return;
        }

        if (!c.ipi_pending)
        {
            // Resting: user space, idle (sti; hlt), a guest, or a kernel wait, interrupts on.
            c.halted = true;
            Logger.WriteLine($"{c.name}: halted in {CtKernel.Name(c.context)} until an interrupt");
            RaiseGotoStateEvent<Halted>();
        }
    }

    /// <summary>The activity, from the context the CPU booted in.</summary>
    private IEnumerable<Stmt> Program()
    {
        Activity a = k.scenario.Activity;
        IEnumerable<Stmt> steps = k.p.Workload is Workload w ? WorkloadProgram(w) : k.scenario.Script is { } script ? Script(script) : ActivityCode(a);
        yield return Stmt.Call(steps);

        // The hardware's one speculative walk, at the point where the activity rests. Before v6 (no
        // PTI modelled) the kernel's page tables are in every page table the CPU runs on, so it may
        // walk wherever it rests: user space, a kernel wait, idle (after the return from an
        // interrupt taken there), a guest. v6 walks on the kernel CR3 in its entry and exit windows
        // instead; its user CR3 maps no vmalloc page tables.
        if (k.p.Workload is null && k.scenario.Script is null && k.scenario.Sender == Sender.PageTableFree && (!k.variant.CoalesceTlbi() || c.context == CtState.User))
        {
            yield return code.SpeculativeWalk(RestingPlace(c.context));
        }
    }

    /// <summary>Where a CPU in <paramref name="context"/> rests, as the trace names it.</summary>
    private static string RestingPlace(CtState context) => context switch
        {
            CtState.User => "user space",
            CtState.Idle => "idle (sti; hlt)",
            CtState.Guest => "host code around the guest's VM exit and entry (host page tables; with VPID the VM exit keeps the host's TLB entries)",
            _ => "kernel wait",
        };

    /// <summary>A generated schedule: activities one after another, each from the context the one before left.</summary>
    private IEnumerable<Stmt> Script(IReadOnlyList<Activity> script)
    {
        foreach (Activity a in script)
        {
            yield return Stmt.Call(ActivityCode(a));
        }
    }

    /// <summary>One activity's statements.</summary>
    private IEnumerable<Stmt> ActivityCode(Activity a) => a switch
        {
            Activity.Syscall => WithIrqsOn(code.EnterFromUser("entry_SYSCALL_64"), "syscall", code.ExitToUser("syscall_exit_to_user_mode")),
            Activity.IrqFromUser => IrqsOff(code.EnterFromUser("irqentry_enter_from_user_mode"), code.KernelCode("common_interrupt"), code.ExitToUser("irqentry_exit_to_user_mode")),
            Activity.NmiFromUser => IrqsOff(code.NmiEnter("exc_nmi: irqentry_nmi_enter", fromUser: true), code.KernelCode("exc_nmi"), code.NmiExit("exc_nmi: irqentry_nmi_exit", toUser: true)),
            Activity.ExceptionFromUser => WithIrqsOn(code.EnterFromUser("exc_page_fault: irqentry_enter"), "do_user_addr_fault", code.ExitToUser("irqentry_exit_to_user_mode")),
            Activity.IrqFromIdle => IrqsOff(code.NmiEnter("common_interrupt: ct_irq_enter", fromUser: false), code.KernelCode("common_interrupt"), code.NmiExit("common_interrupt: ct_irq_exit", toUser: false)),
            Activity.NmiFromIdle => IrqsOff(code.NmiEnter("exc_nmi: irqentry_nmi_enter", fromUser: false), code.KernelCode("exc_nmi"), code.NmiExit("exc_nmi: irqentry_nmi_exit", toUser: false)),
            Activity.Kernel => code.KernelCode("kthread").Concat(code.KernelCode("kthread")),
            Activity.NmiFromKernel => IrqsOff(code.NmiEnterFromKernel("exc_nmi: irqentry_nmi_enter"), code.KernelCode("exc_nmi"), code.NmiExitToKernel("exc_nmi: irqentry_nmi_exit")).Concat(code.KernelCode("kthread")),
            Activity.Guest => Guest(),
            Activity.CpuidleEnter => CpuidleEnter(),
            Activity.CpuidleExit => CpuidleExit(),
            Activity.NmiInSyscallEntry => WithIrqsOn(WithNestedNmi(code.EnterFromUser("entry_SYSCALL_64"), fromUser: true), "syscall", code.ExitToUser("syscall_exit_to_user_mode")),
            Activity.NmiInIrqEntry => IrqsOff(WithNestedNmi(code.EnterFromUser("irqentry_enter_from_user_mode"), fromUser: true), code.KernelCode("common_interrupt"), code.ExitToUser("irqentry_exit_to_user_mode")),
            Activity.NmiInIrqFromIdleEntry => IrqsOff(WithNestedNmi(code.NmiEnter("common_interrupt: ct_irq_enter", fromUser: false), fromUser: false), code.KernelCode("common_interrupt"), code.NmiExit("common_interrupt: ct_irq_exit", toUser: false)),
            _ => [],
        };

    /// <summary>
    /// An entry path with one NMI nested in it: NMIs are not masked by local_irq_disable(), so the
    /// NMI may land at any step boundary from before the entry's first statement to the end of its
    /// ct_work_flush(). The boundary is one random choice, made when the entry starts, among as
    /// many as the longest such entry of the variant has (from user space the CR3 steps of v6, then
    /// the noinstr sites, the atomic, RFC v1's exchange, one flush step); an entry with fewer steps
    /// (no work found) takes the NMI at its last boundary, after ct_work_flush().
    /// </summary>
    private IEnumerable<Stmt> WithNestedNmi(IEnumerable<Stmt> entry, bool fromUser)
    {
        int boundaries = 1 + (fromUser && k.variant.CoalesceTlbi() ? 3 : 0) + k.sites.Count(s => s.noinstr) + 1 + (k.variant.SeparateWorkAtomic() ? 1 : 0) + 1;
        int lands = RandomInteger(boundaries);
        int boundary = 0;
        // Boundaries are steps: the entry's calls are followed into, as the CPU runs them.
        using IEnumerator<Stmt> step = Frames.Flatten(entry).GetEnumerator();
        while (true)
        {
            // The check comes before the entry's next statement runs (MoveNext() runs it).
            if (boundary == lands)
            {
                yield return Stmt.Call(code.NmiInEntry("exc_nmi"));
            }

            if (!step.MoveNext())
            {
                break;
            }

            yield return step.Current;
            boundary++;
        }

        // An entry shorter than the landing point (it found no work) takes the NMI after its last statement.
        if (lands > boundary)
        {
            yield return Stmt.Call(code.NmiInEntry("exc_nmi"));
        }
    }

    /// <summary>The statistics' workload: user code, a syscall running kernel code, back to user, again and again.</summary>
    private IEnumerable<Stmt> WorkloadProgram(Workload w)
    {
        for (int t = 0; t < w.Syscalls; t++)
        {
            for (int i = 0; i < w.UserSteps; i++)
            {
                yield return "user code";
            }

            yield return Stmt.Call(WithIrqsOn(code.EnterFromUser("entry_SYSCALL_64"), "syscall", code.ExitToUser("syscall_exit_to_user_mode"), w.KernelSteps));
        }
    }

    /// <summary>An entry with interrupts off, then code that enables them, runs, disables them, and the exit.</summary>
    private IEnumerable<Stmt> WithIrqsOn(IEnumerable<Stmt> entry, string body, IEnumerable<Stmt> exit, int kernelSteps = 0)
    {
        irqs_disabled = true;
        yield return Stmt.Call(entry);

        irqs_disabled = false;
        yield return $"{body}: local_irq_enable()";
        yield return Stmt.Call(code.KernelCode(body));

        for (int i = 0; i < kernelSteps; i++)
        {
            yield return $"{body}: kernel code";
        }

        irqs_disabled = true;
        yield return $"{body}: local_irq_disable()";
        yield return Stmt.Call(exit);

        irqs_disabled = false;
        yield return $"{body}: return to user space";
    }

    /// <summary>An interrupt or NMI the activity takes: interrupts off throughout, on again at its return.</summary>
    private IEnumerable<Stmt> IrqsOff(IEnumerable<Stmt> entry, IEnumerable<Stmt> body, IEnumerable<Stmt> exit)
    {
        irqs_disabled = true;
        yield return Stmt.Call(entry.Concat(body).Concat(exit));

        irqs_disabled = false;
        yield return "iret";
    }

    /// <summary>
    /// The idle task going idle from the kernel: its code, then with interrupts off
    /// ct_cpuidle_enter() -> ct_idle_enter() -> ct_kernel_exit_state(CT_RCU_WATCHING + CT_STATE_IDLE)
    /// (the version's exit-side update of the word: the cmpxchg loop clearing the work bits where the
    /// word has them), then sti; hlt: it rests idle until an interrupt.
    /// </summary>
    private IEnumerable<Stmt> CpuidleEnter()
    {
        yield return Stmt.Call(code.KernelCode("do_idle"));

        irqs_disabled = true;
        yield return "do_idle: local_irq_disable()";
        yield return Stmt.Call(code.KernelExitState(k.ct.CT_RCU_WATCHING + ContextTrackingState.CT_STATE_IDLE, "cpuidle_enter_state: ct_cpuidle_enter: ct_idle_enter", CtState.Idle));

        irqs_disabled = false;
        yield return "default_idle: sti; hlt";
    }

    /// <summary>
    /// The idle task leaving idle (its wait ended by the start-up kick, as mwait ends on need_resched):
    /// interrupts off, ct_cpuidle_exit() -> ct_idle_exit() -> ct_kernel_enter_state(CT_RCU_WATCHING -
    /// CT_STATE_IDLE) with ct_work_flush() (entry code before it in the danger zone), then
    /// local_irq_enable() and the kernel's code (schedule_idle()); it stays in the kernel.
    /// </summary>
    private IEnumerable<Stmt> CpuidleExit()
    {
        irqs_disabled = true;
        yield return "cpuidle_enter_state: mwait returns";
        yield return Stmt.Call(code.EnterDangerZone("cpuidle_enter_state: ct_cpuidle_exit").Concat(code.KernelEnterState(k.ct.CT_RCU_WATCHING - ContextTrackingState.CT_STATE_IDLE, "cpuidle_enter_state: ct_cpuidle_exit: ct_idle_exit", CtState.Kernel)));

        irqs_disabled = false;
        yield return "do_idle: local_irq_enable()";
        yield return Stmt.Call(code.KernelCode("schedule_idle"));
    }

    /// <summary>A VM exit from the guest, KVM's code with interrupts on, and the re-entry.</summary>
    private IEnumerable<Stmt> Guest()
    {
        irqs_disabled = true;
        yield return "vmx_vcpu_run: VM-exit";
        yield return Stmt.Call(code.GuestExit("vcpu_enter_guest"));

        irqs_disabled = false;
        yield return "vcpu_enter_guest: local_irq_enable()";
        yield return Stmt.Call(code.KernelCode("kvm_arch_vcpu_ioctl_run"));

        irqs_disabled = true;
        yield return "vcpu_enter_guest: local_irq_disable()";
        yield return Stmt.Call(code.GuestEnter("vcpu_enter_guest"));

        irqs_disabled = false;
        yield return "vmx_vcpu_run: VM-enter";
    }

    /// <summary>
    /// The call-function IPI, entered from the CPU's context: the entry that context needs, then
    /// generic_smp_call_function_single_interrupt() running each queued call, then the return.
    /// </summary>
    private IEnumerable<Stmt> CallFunctionInterrupt(CtState context)
    {
        IEnumerable<Stmt> entry = context switch
        {
            CtState.User => code.EnterFromUser("sysvec_call_function: irqentry_enter_from_user_mode"),
            CtState.Idle => code.NmiEnter("sysvec_call_function: ct_irq_enter", fromUser: false),
            CtState.Guest => new Stmt[] { "vmx_vcpu_run: VM-exit (external interrupt)" }.Concat(code.GuestExit("vcpu_enter_guest")),
            _ => ["sysvec_call_function: irqentry_enter (RCU already watching)"],
        };
        yield return Stmt.Call(entry);

        k.mem.SmpMb(c.cpu);
        var calls = c.calls.ToList();
        c.calls.Clear();
        k.p.Statistics?.Interrupt(c.cpu);
        yield return "generic_smp_call_function_single_interrupt: llist_del_all(call_single_queue)";
        foreach ((int hk, CtCallFunc func) in calls)
        {
            k.Observe(new CtIpiReceived(c.cpu, func.name, context));
            func.Run(k, c);

            yield return $"{func}() from hk{hk}";
            c.csd_locked[hk] = false;
            SendEvent(k.housekeepers[hk]!, CtSender.Wake.Instance);
            yield return $"csd_unlock({func}) for hk{hk}";
        }

        IEnumerable<Stmt> exit = context switch
        {
            CtState.User => code.ExitToUser("sysvec_call_function: irqentry_exit_to_user_mode"),
            CtState.Idle => code.NmiExit("sysvec_call_function: ct_irq_exit", toUser: false),
            CtState.Guest => code.GuestEnter("vcpu_enter_guest").Append("vmx_vcpu_run: VM-enter"),
            _ => ["sysvec_call_function: irqentry_exit"],
        };
        yield return Stmt.Call(exit);
    }
}
