using Verify.Protocols.Kernel;
using Verify.Protocols.Kernel.Rcu;
using Verify.Specs.Latency;
using Verify.Specs.Rcu;

namespace Verify.Protocols.KvmRcu;

/// <summary>Why the guest stopped running.</summary>
public enum ExitReason
{
    /// <summary>A host interrupt (the tick) forced a VM exit.</summary>
    ExternalInterrupt,

    /// <summary>An MMIO access handled in the kernel.</summary>
    Mmio,

    /// <summary>HLT: kvm_vcpu_block() until the guest's timer fires.</summary>
    Hlt,

    /// <summary>Exit to userspace: KVM_RUN returns.</summary>
    Userspace,
}

/// <summary>The guest side of a scenario: what the vCPU thread does, run by run.</summary>
public sealed record VcpuScript
{
    /// <summary>Each KVM_RUN ioctl: the exits the guest takes by itself, in order; a run ends at a Userspace exit.</summary>
    public required IReadOnlyList<IReadOnlyList<ExitReason>> Runs { get; init; }

    /// <summary>After the last run: the thread exits (VM termination) instead of staying in the guest.</summary>
    public bool TerminateAfterLastRun { get; init; }

    /// <summary>Jiffies until the guest's timer wakes a halted vCPU.</summary>
    public int HltWakeJiffies { get; init; } = 2;

    /// <summary>Statements of softirq work after an MMIO exit, each a jiffy long, with interrupts enabled, before re-entry.</summary>
    public int SoftirqStatements { get; init; }

    /// <summary>Statements of kernel work in do_exit() after the VM is torn down, each a jiffy long.</summary>
    public int ExitStatements { get; init; } = 3;

    /// <summary>Where the halted vCPU's wakeup places it (select_task_rq); -1 keeps its CPU.</summary>
    public int WakeOnCpu { get; init; } = -1;
}

/// <summary>
/// A KVM vCPU thread on a nohz_full CPU: KVM_RUN -> vcpu_load() -> {guest entry with IRQs off,
/// guest, exit, handling} -> vcpu_put(), with each variant's bookkeeping at its statement.
/// </summary>
public sealed class VcpuThread(Variant variant, VcpuScript script, int cpu) : TaskStruct("vcpu0", schedFifo: false, cpu)
{
    /// <summary>vcpu->wants_to_run (a6816314af57): set for the duration of KVM_RUN.</summary>
    public bool wants_to_run { get => Access.CrossCpu(cpu, field); set => field = Access.CrossCpu(cpu, value); }

    /// <summary>The preempt notifier is registered between vcpu_load() and vcpu_put().</summary>
    public bool preempt_notifier_registered { get => Access.CrossCpu(cpu, field); set => field = Access.CrossCpu(cpu, value); }

    protected internal override IEnumerable<string> Body(KernelState k)
    {
        for (int run = 0; run < script.Runs.Count; run++)
        {
            CpuState c = k.cpus[cpu];
            if (c.ct.state == CtState.User)
            {
                c.ct.KernelEnter();
            }

            yield return "syscall: ct_user_exit()";
            wants_to_run = true;
            yield return "kvm_vcpu_ioctl(KVM_RUN): vcpu->wants_to_run = true";
            foreach (string s in VcpuLoad(k))
            {
                yield return s;
            }

            bool last = run == script.Runs.Count - 1;
            foreach (string s in RunLoop(k, script.Runs[run], steadyAfterScript: last && !script.TerminateAfterLastRun))
            {
                yield return s;
            }

            foreach (string s in VcpuPut(k))
            {
                yield return s;
            }

            wants_to_run = false;
            yield return "kvm_vcpu_ioctl: vcpu->wants_to_run = false";
            c = k.cpus[cpu];
            if (c.ct.active)
            {
                c.ct.KernelExit(CtState.User);
            }

            yield return "syscall exit: ct_user_enter()";
            long_work = true;
            yield return "qemu: handles the exit in userspace";
            long_work = false;
        }

        // VM termination: the thread leaves userspace for good and tears down in the kernel.
        CpuState cpuNow = k.cpus[cpu];
        if (cpuNow.ct.state == CtState.User)
        {
            cpuNow.ct.KernelEnter();
        }

        yield return "exit_group: ct_user_exit()";
        long_work = true;
        for (int i = 0; i < script.ExitStatements; i++)
        {
            yield return $"do_exit: exit_mm/exit_files ({i + 1}/{script.ExitStatements})";
        }

        long_work = false;

        state = TaskState.Dead;
        foreach (string s in Scheduler.Schedule(k, k.cpus[cpu], "do_task_dead"))
        {
            yield return s;
        }
    }

    private IEnumerable<string> VcpuLoad(KernelState k)
    {
        CpuState c = k.cpus[cpu];
        c.preempt_count++;
        preempt_notifier_registered = true;
        if (variant.ZeroesOnLoadPut())
        {
            c.kvm_last_guest_exit = 0;
        }

        if (variant.UsesRunLoopFlag() && wants_to_run)
        {
            c.in_guest_run_loop = true;
        }

        yield return "vcpu_load: get_cpu(); preempt_notifier_register()" + Bookkeeping(c);
        foreach (string s in Scheduler.PreemptEnable(k, this, "vcpu_load: put_cpu"))
        {
            yield return s;
        }
    }

    private IEnumerable<string> VcpuPut(KernelState k)
    {
        CpuState c = k.cpus[cpu];
        c.preempt_count++;
        if (variant.ZeroesOnLoadPut())
        {
            c.kvm_last_guest_exit = 0;
        }

        if (variant.UsesRunLoopFlag() && wants_to_run)
        {
            c.in_guest_run_loop = false;
        }

        preempt_notifier_registered = false;
        yield return "vcpu_put: preempt_disable(); preempt_notifier_unregister()" + Bookkeeping(c);
        foreach (string s in Scheduler.PreemptEnable(k, this, "vcpu_put"))
        {
            yield return s;
        }
    }

    private static string Bookkeeping(CpuState c) => $" [kvm_last_guest_exit={c.kvm_last_guest_exit}, in_guest_run_loop={(c.in_guest_run_loop ? 1 : 0)}]";

    private IEnumerable<string> RunLoop(KernelState k, IReadOnlyList<ExitReason> exits, bool steadyAfterScript)
    {
        int next = 0;
        while (true)
        {
            CpuState c = k.cpus[cpu];
            c.preempt_count++;
            yield return "vcpu_enter_guest: preempt_disable()";
            c.irqs_disabled = true;
            yield return "vcpu_enter_guest: local_irq_disable()";

            // guest_state_enter_irqoff() -> guest_context_enter_irqoff()
            if (c.ct.active)
            {
                c.ct.KernelExit(CtState.Guest);
            }
            else
            {
                TreeRcu.RcuNoteContextSwitch(k, c);
            }

            k.Observe(new GuestEnter(c.cpu, k.jiffies));
            yield return c.ct.active ? "guest_context_enter_irqoff: ct_kernel_exit(CT_STATE_GUEST)" : "guest_context_enter_irqoff: rcu_virt_note_context_switch()";

            // The guest runs until it exits by itself or a host interrupt forces an exit.
            ExitReason reason;
            if (c.tick_pending || (next >= exits.Count && steadyAfterScript))
            {
                yield return WaitInGuest;
                reason = ExitReason.ExternalInterrupt;
            }
            else if (next < exits.Count)
            {
                reason = exits[next++];
            }
            else
            {
                reason = ExitReason.Userspace;
            }

            c = k.cpus[cpu];

            // guest_state_exit_irqoff() -> guest_context_exit_irqoff()
            if (c.ct.active)
            {
                c.ct.KernelEnter();
            }

            if (variant.WritesLastGuestExit())
            {
                c.kvm_last_guest_exit = k.jiffies;
            }

            if (k.config.QsOnGuestExit && !c.ct.active)
            {
                TreeRcu.RcuNoteContextSwitch(k, c);
            }

            yield return $"guest_context_exit_irqoff: exit reason {reason}" + Bookkeeping(c);
            c.irqs_disabled = false;
            yield return "vcpu_enter_guest: local_irq_enable()";
            foreach (string s in Scheduler.PreemptEnable(k, this, "vcpu_enter_guest"))
            {
                yield return s;
            }

            switch (reason)
            {
                case ExitReason.Userspace:
                    yield break;
                case ExitReason.Hlt:
                    foreach (string s in KvmVcpuBlock(k))
                    {
                        yield return s;
                    }

                    break;
                default:
                    foreach (string s in HandleExit(k))
                    {
                        yield return s;
                    }

                    break;
            }
        }
    }

    private IEnumerable<string> HandleExit(KernelState k)
    {
        // rcu_read_lock() is preempt_disable() in non-preemptible RCU: no context switch inside the reader.
        int reader = k.nextReader++;
        k.cpus[cpu].preempt_count++;
        k.Observe(new ReaderBegin(reader, cpu));
        yield return "handle_exit: rcu_read_lock()";
        yield return "handle_exit: kvm_io_bus_write()";
        k.Observe(new ReaderEnd(reader));
        foreach (string s in Scheduler.PreemptEnable(k, this, "handle_exit: rcu_read_unlock"))
        {
            yield return s;
        }
        long_work = true;
        for (int i = 0; i < script.SoftirqStatements; i++)
        {
            yield return $"__do_softirq: net_rx_action ({i + 1}/{script.SoftirqStatements})";
        }

        long_work = false;
    }

    private IEnumerable<string> KvmVcpuBlock(KernelState k)
    {
        CpuState c = k.cpus[cpu];
        state = TaskState.Blocked;
        c.hrtimers.Add((k.jiffies + script.HltWakeJiffies, this));
        if (script.WakeOnCpu >= 0)
        {
            // select_task_rq() will place the woken vCPU on another CPU.
            cpu = script.WakeOnCpu;
        }

        yield return "kvm_vcpu_block: prepare_to_rcuwait(); set_current_state(TASK_INTERRUPTIBLE)";
        foreach (string s in Scheduler.Schedule(k, c, "kvm_vcpu_block"))
        {
            yield return s;
        }

        yield return "kvm_vcpu_block: finish_rcuwait()";
    }

    protected internal override IEnumerable<string> SchedOut(KernelState k, CpuState c)
    {
        if (!preempt_notifier_registered)
        {
            yield break;
        }

        if (variant == Variant.BPlus)
        {
            c.kvm_last_guest_exit = 0;
        }

        if (variant == Variant.CPlus)
        {
            c.in_guest_run_loop = false;
        }

        yield return "fire_sched_out_preempt_notifiers: kvm_sched_out(): kvm_arch_vcpu_put()" + Bookkeeping(c);
    }

    protected internal override void SchedIn(KernelState k, CpuState c)
    {
        if (preempt_notifier_registered && variant == Variant.CPlus && wants_to_run)
        {
            c.in_guest_run_loop = true;
        }
    }
}
