using Verify.Kernel.ContextTracking;
using Verify.Kernel.Irq;
using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sched;
using Verify.Protocols.KvmRcu.Monitors;
using Verify.Specifications;

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

    /// <summary>Statements of halt polling in kvm_vcpu_halt() (interrupts and preemption on) before kvm_vcpu_block().</summary>
    public int HaltPollStatements { get; init; }
}

/// <summary>
/// A KVM vCPU thread on a nohz_full CPU: KVM_RUN -> vcpu_load() -> {guest entry with IRQs off,
/// guest, exit, handling} -> vcpu_put(), with each variant's bookkeeping at its statement. Its
/// code reads its CPU afresh after every point where it may be preempted and migrated.
/// </summary>
public sealed class VcpuThread(Variant variant, VcpuScript script, PerCpu<KvmCpu> kvm, int cpu) : TaskStruct("vcpu0", schedFifo: false, cpu), IPreemptNotifier
{
    private readonly PerCpu<KvmCpu> kvm = kvm;

    [Frozen]
    private readonly VcpuScript script = script;

    /// <summary>vcpu->wants_to_run (a6816314af57): set for the duration of KVM_RUN.</summary>
    public bool wants_to_run { get => Access.CrossCpu(cpu, field); set => field = Access.CrossCpu(cpu, value); }

    private KvmCpu ThisKvm => kvm[cpu];

    protected override IEnumerable<Stmt> Body(KernelState k)
    {
        for (int run = 0; run < script.Runs.Count; run++)
        {
            yield return Stmt.Call(EntryCommon.SyscallEnter(k, this, "ioctl(KVM_RUN)"));
            wants_to_run = true;
            yield return "kvm_vcpu_ioctl(KVM_RUN): vcpu->wants_to_run = true";
            yield return Stmt.Call(VcpuLoad(k));

            bool last = run == script.Runs.Count - 1;
            yield return Stmt.Call(RunLoop(k, script.Runs[run], steadyAfterScript: last && !script.TerminateAfterLastRun));
            yield return Stmt.Call(VcpuPut(k));

            wants_to_run = false;
            yield return "kvm_vcpu_ioctl: vcpu->wants_to_run = false";
            yield return Stmt.Call(EntryCommon.ExitToUserMode(k, this, "syscall_exit_to_user_mode"));
            yield return Stmt.LongWork("qemu: handles the exit in userspace");
        }

        // VM termination: the thread leaves userspace for good and tears down in the kernel.
        yield return Stmt.Call(EntryCommon.SyscallEnter(k, this, "exit_group"));
        for (int i = 0; i < script.ExitStatements; i++)
        {
            yield return Stmt.LongWork($"do_exit: exit_mm/exit_files ({i + 1}/{script.ExitStatements})");
        }

        state = TaskState.Dead;
        yield return Stmt.Call(Scheduler.Schedule(k, this, SchedMode.Voluntary, "do_task_dead"));
    }

    private IEnumerable<Stmt> VcpuLoad(KernelState k)
    {
        CpuState c = ThisCpu(k);
        c.preempt_count++;
        PreemptNotifierRegister(this);
        if (variant.ZeroesOnLoadPut())
        {
            ThisKvm.kvm_last_guest_exit = 0;
        }

        if (variant.UsesRunLoopFlag() && wants_to_run)
        {
            ThisKvm.in_guest_run_loop = true;
        }

        yield return "vcpu_load: get_cpu(); preempt_notifier_register()" + Bookkeeping();
        yield return Stmt.Call(Scheduler.PreemptEnable(k, this, "vcpu_load: put_cpu"));
    }

    private IEnumerable<Stmt> VcpuPut(KernelState k)
    {
        CpuState c = ThisCpu(k);
        c.preempt_count++;
        if (variant.ZeroesOnLoadPut())
        {
            ThisKvm.kvm_last_guest_exit = 0;
        }

        if (variant.UsesRunLoopFlag() && wants_to_run)
        {
            ThisKvm.in_guest_run_loop = false;
        }

        PreemptNotifierUnregister(this);
        yield return "vcpu_put: preempt_disable(); preempt_notifier_unregister()" + Bookkeeping();
        yield return Stmt.Call(Scheduler.PreemptEnable(k, this, "vcpu_put"));
    }

    private string Bookkeeping() => $" [kvm_last_guest_exit={ThisKvm.kvm_last_guest_exit}, in_guest_run_loop={(ThisKvm.in_guest_run_loop ? 1 : 0)}]";

    private IEnumerable<Stmt> RunLoop(KernelState k, IReadOnlyList<ExitReason> exits, bool steadyAfterScript)
    {
        int next = 0;
        while (true)
        {
            // vcpu_enter_guest(): from preempt_disable() to preempt_enable() the thread stays on this CPU.
            CpuState c = ThisCpu(k);
            c.preempt_count++;
            yield return "vcpu_enter_guest: preempt_disable()";
            c.irqs_disabled = true;
            yield return "vcpu_enter_guest: local_irq_disable()";

            // kvm_vcpu_exit_request() -> xfer_to_guest_mode_work_pending(): a reschedule asked for
            // since preempt_disable() cancels the entry; preempt_enable() schedules, and the loop
            // of vcpu_run() tries again.
            if (c.need_resched)
            {
                c.irqs_disabled = false;
                yield return "vcpu_enter_guest: kvm_vcpu_exit_request(): local_irq_enable()";
                yield return Stmt.Call(Scheduler.PreemptEnable(k, this, "vcpu_enter_guest: cancel_injection"));
                continue;
            }

            // guest_state_enter_irqoff() -> guest_context_enter_irqoff(): context tracking's guest
            // EQS where it runs, else rcu_virt_note_context_switch().
            if (c.ct.active)
            {
                c.ct.UserEnter(CtState.Guest);
            }
            else
            {
                TreeRcu.RcuNoteContextSwitch(k, c);
            }

            k.Observe(new GuestEnter(c.cpu, k.jiffies));
            yield return c.ct.active ? "guest_context_enter_irqoff: ct_user_enter(CT_STATE_GUEST)" : "guest_context_enter_irqoff: rcu_virt_note_context_switch()";

            // The guest runs until it exits by itself or a host interrupt forces an exit.
            ExitReason reason;
            if (c.tick_pending || (next >= exits.Count && steadyAfterScript))
            {
                yield return Stmt.RunGuest("guest runs until a VM exit");
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

            // guest_state_exit_irqoff() -> guest_context_exit_irqoff()
            if (c.ct.active)
            {
                c.ct.UserExit();
            }

            if (variant.WritesLastGuestExit())
            {
                ThisKvm.kvm_last_guest_exit = k.jiffies;
            }

            if (variant.QsOnGuestExit() && !c.ct.active)
            {
                TreeRcu.RcuNoteContextSwitch(k, c);
            }

            yield return $"guest_context_exit_irqoff: exit reason {reason}" + Bookkeeping();
            c.irqs_disabled = false;
            yield return "vcpu_enter_guest: local_irq_enable()";
            yield return Stmt.Call(Scheduler.PreemptEnable(k, this, "vcpu_enter_guest"));

            switch (reason)
            {
                case ExitReason.Userspace:
                    yield break;
                case ExitReason.Hlt:
                    yield return Stmt.Call(KvmVcpuHalt(k));
                    break;
                case ExitReason.Mmio:
                    yield return Stmt.Call(HandleExit(k));
                    break;
                default:
                    // handle_external_interrupt_irqoff() already ran the interrupt; the exit handler returns 1.
                    break;
            }
        }
    }

    private IEnumerable<Stmt> HandleExit(KernelState k)
    {
        // rcu_read_lock() is preempt_disable() in non-preemptible RCU: no context switch inside the reader.
        int reader = k.nextReader++;
        ThisCpu(k).preempt_count++;
        k.Observe(new RcuReadLock(reader, cpu));
        yield return "handle_exit: rcu_read_lock()";
        yield return "handle_exit: kvm_io_bus_write()";
        k.Observe(new RcuReadUnlock(reader));
        yield return Stmt.Call(Scheduler.PreemptEnable(k, this, "handle_exit: rcu_read_unlock"));
        if (script.SoftirqStatements == 0)
        {
            yield break;
        }

        // local_bh_enable() -> do_softirq(): __do_softirq() runs with SOFTIRQ_OFFSET in preempt_count
        // and interrupts enabled, so the thread is not preempted and a tick there is no quiescent state.
        ThisCpu(k).preempt_count++;
        yield return "local_bh_enable: do_softirq()";
        for (int i = 0; i < script.SoftirqStatements; i++)
        {
            yield return Stmt.LongWork($"__do_softirq: net_rx_action ({i + 1}/{script.SoftirqStatements})");
        }

        yield return Stmt.Call(Scheduler.PreemptEnable(k, this, "__do_softirq: __local_bh_enable(SOFTIRQ_OFFSET)"));
    }

    /// <summary>kvm_vcpu_halt(): halt polling with interrupts and preemption on, then kvm_vcpu_block().</summary>
    private IEnumerable<Stmt> KvmVcpuHalt(KernelState k)
    {
        for (int i = 0; i < script.HaltPollStatements; i++)
        {
            yield return $"kvm_vcpu_halt: halt polling, kvm_vcpu_check_block() ({i + 1}/{script.HaltPollStatements})";
        }

        // The guest's timer (an hrtimer on this CPU) wakes the blocked vCPU.
        CpuState c = ThisCpu(k);
        state = TaskState.Blocked;
        c.hrtimers.Add((k.jiffies + script.HltWakeJiffies, this));

        // select_task_rq() will place the woken vCPU on this CPU, or where the scenario says.
        wake_cpu = script.WakeOnCpu;
        yield return "kvm_vcpu_block: prepare_to_rcuwait(); set_current_state(TASK_INTERRUPTIBLE)";
        yield return Stmt.Call(Scheduler.Schedule(k, this, SchedMode.Voluntary, "kvm_vcpu_block"));
        yield return "kvm_vcpu_block: finish_rcuwait()";
    }

    /// <summary>kvm_sched_out(), the vCPU's preempt notifier (kvm_preempt_ops), registered between vcpu_load() and vcpu_put().</summary>
    IEnumerable<Stmt> IPreemptNotifier.SchedOut(KernelState k, CpuState c, TaskStruct t)
    {
        if (variant == Variant.BPlus)
        {
            kvm[c.cpu].kvm_last_guest_exit = 0;
        }

        if (variant == Variant.CPlus)
        {
            kvm[c.cpu].in_guest_run_loop = false;
        }

        yield return "fire_sched_out_preempt_notifiers: kvm_sched_out(): kvm_arch_vcpu_put()" + Bookkeeping();
    }

    /// <summary>kvm_sched_in().</summary>
    void IPreemptNotifier.SchedIn(KernelState k, CpuState c, TaskStruct t)
    {
        if (variant == Variant.CPlus && wants_to_run)
        {
            kvm[c.cpu].in_guest_run_loop = true;
        }
    }
}
