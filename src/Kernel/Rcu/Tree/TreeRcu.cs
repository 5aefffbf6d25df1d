using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>
/// The Tree RCU functions on the nohz_full path, each statement a step where it races. The flavour
/// is non-preemptible RCU (CONFIG_PREEMPT_RCU=n, grace-period kthread rcu_sched): readers are
/// preempt-disabled regions, so a context switch and a tick that interrupts preemptible code are
/// quiescent states; rcuc/N runs rcu_core() (rcutree.use_softirq=0).
/// </summary>
public static class TreeRcu
{
    /// <summary>The reason rcu_pending() gives when rcutree.nohz_full_patience_delay holds it back.</summary>
    public const string PatienceReason = "nohz_full_patience_delay";

    /// <summary>rcu_qs(): this CPU passed through a quiescent state.</summary>
    public static void RcuQs(KernelState k, CpuState c) => k.rcu_state.rcu_data[c.cpu].cpu_no_qs_norm = false;

    /// <summary>rcu_note_context_switch() (and rcu_virt_note_context_switch()): a context switch is a quiescent state.</summary>
    public static void RcuNoteContextSwitch(KernelState k, CpuState c) => RcuQs(k, c);

    /// <summary>rcu_start_this_gp(): request a grace period and wake the grace-period kthread.</summary>
    internal static void RcuStartThisGp(KernelState k)
    {
        k.rcu_state.gp_flags = true;
        k.WakeHousekeeping(k.rcu_state.gp_kthread!);
    }

    /// <summary>rcu_report_qs_rnp(): clears the CPU's bit; the last one wakes the grace-period kthread. rdp is not touched.</summary>
    internal static void RcuReportQsRnp(KernelState k, int cpu)
    {
        RcuState rs = k.rcu_state;
        if ((rs.qsmask & (1 << cpu)) == 0)
        {
            return;
        }

        rs.qsmask &= ~(1 << cpu);
        if (rs.qsmask == 0)
        {
            k.WakeHousekeeping(rs.gp_kthread!);
        }
    }

    /// <summary>
    /// rcu_report_qs_rdp(): a quiescent state seen in the wrong grace period is no report; otherwise
    /// core_needs_qs is cleared whether or not the bit is still set, and the bit is reported.
    /// </summary>
    internal static bool RcuReportQsRdp(KernelState k, CpuState c)
    {
        RcuData rdp = k.rcu_state.rcu_data[c.cpu];
        RcuState rs = k.rcu_state;
        if (rdp.cpu_no_qs_norm || rdp.gp_seq != rs.rnp_gp_seq)
        {
            rdp.cpu_no_qs_norm = true;
            return false;
        }

        rdp.core_needs_qs = false;
        if ((rs.qsmask & rdp.grpmask) == 0)
        {
            return false;
        }

        RcuReportQsRnp(k, c.cpu);
        return true;
    }

    /// <summary>
    /// __note_gp_changes(): catch up with rnp->gp_seq. A completed grace period needs no more
    /// quiescent state; a new one needs one exactly when this CPU's bit is in rnp->qsmask.
    /// </summary>
    internal static void NoteGpChanges(KernelState k, CpuState c)
    {
        RcuData rdp = k.rcu_state.rcu_data[c.cpu];
        int rnpSeq = k.rcu_state.rnp_gp_seq;
        if (rdp.gp_seq == rnpSeq)
        {
            return;
        }

        // rcu_seq_completed_gp(): the grace period this CPU knew of has ended; else it still needs
        // a quiescent state only while its bit is set.
        if (rdp.gp_seq - (rnpSeq & ~1) < 0)
        {
            rdp.core_needs_qs = false;
        }
        else if (rdp.core_needs_qs)
        {
            rdp.core_needs_qs = (k.rcu_state.qsmask & rdp.grpmask) != 0;
        }

        // rcu_seq_new_gp(): a grace period this CPU has not seen has started.
        if (((rdp.gp_seq + 1) & ~1) - rnpSeq < 0)
        {
            bool needQs = (k.rcu_state.qsmask & rdp.grpmask) != 0;
            rdp.cpu_no_qs_norm = needQs;
            rdp.core_needs_qs = needQs;
        }

        rdp.gp_seq = rnpSeq;
    }

    /// <summary>
    /// rcu_nohz_full_cpu(): nohz_full, and no grace period older than one second (HZ jiffies).
    /// </summary>
    private static bool RcuNohzFullCpu(KernelState k, CpuState c) =>
        c.nohz_full && (!k.rcu_state.GpInProgress || k.config.MutantNoGracePeriodAgeCap || KernelState.TimeBefore(k.jiffies, k.rcu_state.gp_start + k.HZ));

    /// <summary>The hooks' and the patience delay's reason to keep rcu_core() off this CPU, or null.</summary>
    private static string? SuppressionReason(KernelState k, CpuState c)
    {
        foreach (IRcuPendingHook hook in k.rcu_pending_hooks)
        {
            if (hook.Holds(k, c) is string reason)
            {
                return reason;
            }
        }

        int patience = k.config.NohzFullPatienceDelayJiffies;
        if (patience > 0 && k.rcu_state.GpInProgress && KernelState.TimeBefore(k.jiffies, k.rcu_state.gp_start + patience))
        {
            return PatienceReason;
        }

        return null;
    }

    /// <summary>The checks after the nohz_full early return: a quiescent state to report, or a grace period to note.</summary>
    private static bool RcuCoreHasWork(KernelState k, CpuState c)
    {
        RcuData rdp = k.rcu_state.rcu_data[c.cpu];
        bool gpInProgress = k.rcu_state.GpInProgress;
        return (rdp.core_needs_qs && !rdp.cpu_no_qs_norm && gpInProgress) || k.rcu_state.rnp_gp_seq != rdp.gp_seq;
    }

    /// <summary>
    /// rcu_core()'s quiescent-state half, wherever it runs (rcuc/N, or RCU_SOFTIRQ at irq exit):
    /// note_gp_changes(), then rcu_check_quiescent_state() reporting a quiescent state the core still needs.
    /// </summary>
    internal static IEnumerable<Stmt> RcuCore(KernelState k, CpuState c, string where)
    {
        RcuData rdp = k.rcu_state.rcu_data[c.cpu];
        NoteGpChanges(k, c);
        yield return $"{where}: note_gp_changes() gp_seq={rdp.gp_seq}";
        bool report = rdp.core_needs_qs && !rdp.cpu_no_qs_norm && RcuReportQsRdp(k, c);
        yield return $"{where}: rcu_check_quiescent_state(){(report ? " -> rcu_report_qs_rdp()" : string.Empty)}";
    }

    /// <summary>rcu_sched_clock_irq(user) -> rcu_flavor_sched_clock_irq() and rcu_pending() -> invoke_rcu_core().</summary>
    internal static IEnumerable<Stmt> RcuSchedClockIrq(KernelState k, CpuState c, bool user)
    {
        // rcu_flavor_sched_clock_irq() of non-preemptible RCU: a tick from user mode, from idle, or
        // from code with preemption enabled (preempt_count() == HARDIRQ_OFFSET) is a quiescent state.
        bool fromIdle = c.ct.RruptFromIdle;
        if (user || fromIdle || c.preempt_count == 0)
        {
            RcuQs(k, c);
        }

        yield return $"rcu_sched_clock_irq(user={(user ? 1 : 0)}): rcu_flavor_sched_clock_irq()";

        string? reason = SuppressionReason(k, c);
        bool nohz = RcuNohzFullCpu(k, c);
        if ((user || fromIdle || reason is not null) && nohz)
        {
            if (!user && !fromIdle && RcuCoreHasWork(k, c))
            {
                k.Observe(new RcuPendingSuppressed(c.cpu, k.jiffies, reason!));
            }

            yield return $"rcu_pending: return 0 ({(user ? "user" : fromIdle ? "rcu_is_cpu_rrupt_from_idle()" : reason)} && rcu_nohz_full_cpu())";
            yield break;
        }

        // A reason that held but for the grace period's age: rcu_nohz_full_cpu()'s one-second cap
        // (the text is built only when rcuc is invoked: this runs on every tick).
        bool capped = (user || fromIdle || reason is not null) && c.nohz_full;
        bool pending = RcuCoreHasWork(k, c);
        string? cause = pending && capped
            ? $"{(user ? "user" : fromIdle ? "rcu_is_cpu_rrupt_from_idle()" : reason)} held, but grace period {k.rcu_state.gp_seq} is {k.jiffies - k.rcu_state.gp_start} jiffies old (rcu_nohz_full_cpu()'s one-second cap)"
            : null;
        yield return pending ? (cause is null ? "rcu_pending: return 1" : $"rcu_pending: return 1 ({cause})") : "rcu_pending: return 0";
        if (pending && k.config.RcuUseSoftirq)
        {
            // invoke_rcu_core() -> raise_softirq(RCU_SOFTIRQ); irq_exit() runs it on this CPU before
            // the interrupted code resumes (a local_bh_disable() section of that code, which would
            // defer it, is not modelled): rcu_core() in softirq context.
            yield return Stmt.Call(RcuCore(k, c, "rcu_core (RCU_SOFTIRQ)"));
            yield break;
        }

        if (pending)
        {
            // invoke_rcu_core() -> rcu_wake_cond(): waking an rcuc that is already runnable changes nothing.
            RcuData rdp = k.rcu_state.rcu_data[c.cpu];
            rdp.rcu_cpu_has_work = true;
            TaskStruct rcuc = rdp.rcu_cpu_kthread_task!;
            bool woke = rcuc.state != TaskState.Running;
            Scheduler.WakeUpProcess(k, rcuc);
            if (woke)
            {
                k.Observe(new InvokeRcuCore(c.cpu, k.jiffies, cause));
            }

            yield return $"invoke_rcu_core: wake_up_process(rcuc/{c.cpu}){(woke ? string.Empty : ": already runnable")}";
        }
    }
}
