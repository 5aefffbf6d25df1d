using Verify.Actors;

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
    private IEnumerator<string>? program;
    private IEnumerator<string>? irq;
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
        c.context = CtKernel.ContextAtBoot(k.scenario.Activity);
        program = Program().GetEnumerator();
        c.halted = true;
        RaiseGotoStateEvent<Halted>();
    }

    private void OnWake() => c.halted = false;

    private void Step()
    {
        k.SampleContexts();
        if (irq is null && !irqs_disabled && c.ipi_pending)
        {
            // The interrupt entry disables interrupts until its return.
            c.ipi_pending = false;
            irqs_disabled = true;
            irq = CallFunctionInterrupt(c.context).GetEnumerator();
        }

        if (irq is not null)
        {
            if (irq.MoveNext())
            {
                Logger.WriteLine($"{c.name} [irq]: {irq.Current}");
                return;
            }

            // irqentry_exit(): the return re-enables interrupts; the interrupted code goes on at the next step.
            irq = null;
            irqs_disabled = false;
            Logger.WriteLine($"{c.name} [irq]: return from interrupt");
            return;
        }

        if (program is not null && program.MoveNext())
        {
            Logger.WriteLine($"{c.name}: {program.Current}");
            return;
        }

        program = null;
        if (!c.ipi_pending)
        {
            // Resting: user space, idle (sti; hlt), a guest, or a kernel wait, interrupts on.
            c.halted = true;
            Logger.WriteLine($"{c.name}: halted in {c.context} until an interrupt");
            RaiseGotoStateEvent<Halted>();
        }
    }

    /// <summary>The activity, from the context the CPU booted in.</summary>
    private IEnumerable<string> Program()
    {
        Activity a = k.scenario.Activity;
        IEnumerable<string> steps = k.p.Workload is Workload w ? WorkloadProgram(w) : k.scenario.Script is { } script ? Script(script) : ActivityCode(a);
        foreach (string s in steps)
        {
            yield return s;
        }

        // The hardware's one speculative walk, at the point where the activity rests. Before v6 (no
        // PTI modelled) the kernel's page tables are in every page table the CPU runs on, so it may
        // walk wherever it rests: user space, a kernel wait, idle (after the return from an
        // interrupt taken there), a guest. v6 walks on the kernel CR3 in its entry and exit windows
        // instead; its user CR3 maps no vmalloc page tables.
        if (k.p.Workload is null && k.scenario.Script is null && k.scenario.Sender == Sender.PageTableFree && (!k.variant.CoalesceTlbi() || c.context == "user"))
        {
            yield return code.SpeculativeWalk(RestingPlace(c.context));
        }
    }

    /// <summary>Where a CPU in <paramref name="context"/> rests, as the trace names it.</summary>
    private static string RestingPlace(string context) => context switch
        {
            "user" => "user space",
            "idle" => "idle (sti; hlt)",
            "guest" => "host code around the guest's VM exit and entry (host page tables; with VPID the VM exit keeps the host's TLB entries)",
            _ => "kernel wait",
        };

    /// <summary>A generated schedule: activities one after another, each from the context the one before left.</summary>
    private IEnumerable<string> Script(IReadOnlyList<Activity> script)
    {
        foreach (Activity a in script)
        {
            foreach (string s in ActivityCode(a))
            {
                yield return s;
            }
        }
    }

    /// <summary>One activity's statements.</summary>
    private IEnumerable<string> ActivityCode(Activity a) => a switch
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
    private IEnumerable<string> WithNestedNmi(IEnumerable<string> entry, bool fromUser)
    {
        int boundaries = 1 + (fromUser && k.variant.CoalesceTlbi() ? 3 : 0) + k.sites.Count(s => s.noinstr) + 1 + (k.variant.SeparateWorkAtomic() ? 1 : 0) + 1;
        int lands = RandomInteger(boundaries);
        int boundary = 0;
        using IEnumerator<string> step = entry.GetEnumerator();
        while (true)
        {
            // The check comes before the entry's next statement runs (MoveNext() runs it).
            if (boundary == lands)
            {
                foreach (string n in code.NmiInEntry("exc_nmi"))
                {
                    yield return n;
                }
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
            foreach (string n in code.NmiInEntry("exc_nmi"))
            {
                yield return n;
            }
        }
    }

    /// <summary>The statistics' workload: user code, a syscall running kernel code, back to user, again and again.</summary>
    private IEnumerable<string> WorkloadProgram(Workload w)
    {
        for (int t = 0; t < w.Syscalls; t++)
        {
            for (int i = 0; i < w.UserSteps; i++)
            {
                yield return "user code";
            }

            foreach (string s in WithIrqsOn(code.EnterFromUser("entry_SYSCALL_64"), "syscall", code.ExitToUser("syscall_exit_to_user_mode"), w.KernelSteps))
            {
                yield return s;
            }
        }
    }

    /// <summary>An entry with interrupts off, then code that enables them, runs, disables them, and the exit.</summary>
    private IEnumerable<string> WithIrqsOn(IEnumerable<string> entry, string body, IEnumerable<string> exit, int kernelSteps = 0)
    {
        irqs_disabled = true;
        foreach (string s in entry)
        {
            yield return s;
        }

        irqs_disabled = false;
        yield return $"{body}: local_irq_enable()";
        foreach (string s in code.KernelCode(body))
        {
            yield return s;
        }

        for (int i = 0; i < kernelSteps; i++)
        {
            yield return $"{body}: kernel code";
        }

        irqs_disabled = true;
        yield return $"{body}: local_irq_disable()";
        foreach (string s in exit)
        {
            yield return s;
        }

        irqs_disabled = false;
        yield return $"{body}: return to user space";
    }

    /// <summary>An interrupt or NMI the activity takes: interrupts off throughout, on again at its return.</summary>
    private IEnumerable<string> IrqsOff(IEnumerable<string> entry, IEnumerable<string> body, IEnumerable<string> exit)
    {
        irqs_disabled = true;
        foreach (string s in entry.Concat(body).Concat(exit))
        {
            yield return s;
        }

        irqs_disabled = false;
        yield return "iret";
    }

    /// <summary>
    /// The idle task going idle from the kernel: its code, then with interrupts off
    /// ct_cpuidle_enter() -> ct_idle_enter() -> ct_kernel_exit_state(CT_RCU_WATCHING + CT_STATE_IDLE)
    /// (the version's exit-side update of the word: the cmpxchg loop clearing the work bits where the
    /// word has them), then sti; hlt: it rests idle until an interrupt.
    /// </summary>
    private IEnumerable<string> CpuidleEnter()
    {
        foreach (string s in code.KernelCode("do_idle"))
        {
            yield return s;
        }

        irqs_disabled = true;
        yield return "do_idle: local_irq_disable()";
        foreach (string s in code.KernelExitState(k.ct.CT_RCU_WATCHING + Verify.Kernel.ContextTracking.ContextTrackingState.CT_STATE_IDLE, "cpuidle_enter_state: ct_cpuidle_enter: ct_idle_enter", "idle"))
        {
            yield return s;
        }

        irqs_disabled = false;
        yield return "default_idle: sti; hlt";
    }

    /// <summary>
    /// The idle task leaving idle (its wait ended by the start-up kick, as mwait ends on need_resched):
    /// interrupts off, ct_cpuidle_exit() -> ct_idle_exit() -> ct_kernel_enter_state(CT_RCU_WATCHING -
    /// CT_STATE_IDLE) with ct_work_flush() (entry code before it in the danger zone), then
    /// local_irq_enable() and the kernel's code (schedule_idle()); it stays in the kernel.
    /// </summary>
    private IEnumerable<string> CpuidleExit()
    {
        irqs_disabled = true;
        yield return "cpuidle_enter_state: mwait returns";
        foreach (string s in code.EnterDangerZone("cpuidle_enter_state: ct_cpuidle_exit").Concat(code.KernelEnterState(k.ct.CT_RCU_WATCHING - Verify.Kernel.ContextTracking.ContextTrackingState.CT_STATE_IDLE, "cpuidle_enter_state: ct_cpuidle_exit: ct_idle_exit", "kernel")))
        {
            yield return s;
        }

        irqs_disabled = false;
        yield return "do_idle: local_irq_enable()";
        foreach (string s in code.KernelCode("schedule_idle"))
        {
            yield return s;
        }
    }

    /// <summary>A VM exit from the guest, KVM's code with interrupts on, and the re-entry.</summary>
    private IEnumerable<string> Guest()
    {
        irqs_disabled = true;
        yield return "vmx_vcpu_run: VM-exit";
        foreach (string s in code.GuestExit("vcpu_enter_guest"))
        {
            yield return s;
        }

        irqs_disabled = false;
        yield return "vcpu_enter_guest: local_irq_enable()";
        foreach (string s in code.KernelCode("kvm_arch_vcpu_ioctl_run"))
        {
            yield return s;
        }

        irqs_disabled = true;
        yield return "vcpu_enter_guest: local_irq_disable()";
        foreach (string s in code.GuestEnter("vcpu_enter_guest"))
        {
            yield return s;
        }

        irqs_disabled = false;
        yield return "vmx_vcpu_run: VM-enter";
    }

    /// <summary>
    /// The call-function IPI, entered from the CPU's context: the entry that context needs, then
    /// generic_smp_call_function_single_interrupt() running each queued call, then the return.
    /// </summary>
    private IEnumerable<string> CallFunctionInterrupt(string context)
    {
        IEnumerable<string> entry = context switch
        {
            "user" => code.EnterFromUser("sysvec_call_function: irqentry_enter_from_user_mode"),
            "idle" => code.NmiEnter("sysvec_call_function: ct_irq_enter", fromUser: false),
            "guest" => new[] { "vmx_vcpu_run: VM-exit (external interrupt)" }.Concat(code.GuestExit("vcpu_enter_guest")),
            _ => ["sysvec_call_function: irqentry_enter (RCU already watching)"],
        };
        foreach (string s in entry)
        {
            yield return s;
        }

        k.mem.SmpMb(c.cpu);
        var calls = c.calls.ToList();
        c.calls.Clear();
        k.p.Statistics?.Interrupt(c.cpu);
        yield return "generic_smp_call_function_single_interrupt: llist_del_all(call_single_queue)";
        foreach ((int hk, string func) in calls)
        {
            k.Observe(new CtIpiReceived(c.cpu, func, context));
            if (func == CtSender.DoSyncCore)
            {
                c.view.SyncCore(k.mem);
            }
            else
            {
                c.tlb.FlushAll();
                Array.Clear(c.pwc);
            }

            yield return $"{func}() from hk{hk}";
            c.csd_locked[hk] = false;
            SendEvent(k.housekeepers[hk]!, CtSender.Wake.Instance);
            yield return $"csd_unlock({func}) for hk{hk}";
        }

        IEnumerable<string> exit = context switch
        {
            "user" => code.ExitToUser("sysvec_call_function: irqentry_exit_to_user_mode"),
            "idle" => code.NmiExit("sysvec_call_function: ct_irq_exit", toUser: false),
            "guest" => code.GuestEnter("vcpu_enter_guest").Append("vmx_vcpu_run: VM-enter"),
            _ => ["sysvec_call_function: irqentry_exit"],
        };
        foreach (string s in exit)
        {
            yield return s;
        }
    }
}
