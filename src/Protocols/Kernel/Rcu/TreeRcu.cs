using Verify.Specs.Latency;

namespace Verify.Protocols.Kernel.Rcu;

/// <summary>The Tree RCU functions on the nohz_full path, each statement a step where it races.</summary>
public static class TreeRcu
{
    /// <summary>rcu_qs() via rcu_note_context_switch(): a context switch is a quiescent state.</summary>
    public static void RcuNoteContextSwitch(KernelState k, CpuState c) => c.rdp.cpu_no_qs_norm = false;

    /// <summary>rcu_start_this_gp(): request a grace period and wake the grace-period kthread.</summary>
    internal static void RcuStartThisGp(KernelState k)
    {
        k.rcu_state.gp_flags = true;
        k.WakeHousekeeping(k.rcu_state.gp_kthread!);
    }

    /// <summary>rcu_report_qs_rnp(): clears this CPU's bit; the last one wakes the grace-period kthread.</summary>
    internal static void ReportQs(KernelState k, int cpu)
    {
        RcuState rs = k.rcu_state;
        if ((rs.qsmask & (1 << cpu)) == 0)
        {
            return;
        }

        rs.qsmask &= ~(1 << cpu);
        k.cpus[cpu].rdp.core_needs_qs = false;
        if (rs.qsmask == 0)
        {
            k.WakeHousekeeping(rs.gp_kthread!);
        }
    }

    /// <summary>rcu_nohz_full_cpu(): nohz_full, and no grace period older than one second (HZ jiffies).</summary>
    private static bool RcuNohzFullCpu(KernelState k, CpuState c) =>
        c.nohz_full && (!k.rcu_state.GpInProgress || KernelState.TimeBefore(k.jiffies, k.rcu_state.gp_start + k.HZ));

    /// <summary>The variant's heuristic for "this CPU is about to run a guest again", or null if it says nothing.</summary>
    private static string? KvmHeuristic(KernelState k, CpuState c)
    {
        KernelConfig cfg = k.config;
        if (cfg.Heuristic == KvmRcuHeuristic.RecentGuestExit && KernelState.TimeBefore(k.jiffies, c.kvm_last_guest_exit + k.HZ))
        {
            return "rcu_recent_guest_exit()";
        }

        if (cfg.Heuristic == KvmRcuHeuristic.InGuestRunLoop && c.in_guest_run_loop)
        {
            return "in_guest_run_loop";
        }

        if (cfg.NohzFullPatienceDelayJiffies > 0 && k.rcu_state.GpInProgress
            && KernelState.TimeBefore(k.jiffies, k.rcu_state.gp_start + cfg.NohzFullPatienceDelayJiffies))
        {
            return "nohz_full_patience_delay";
        }

        return null;
    }

    /// <summary>The checks after the nohz_full early exit: a quiescent state to report, or a grace period to note.</summary>
    private static bool RcuCoreHasWork(KernelState k, CpuState c)
    {
        RcuData rdp = c.rdp;
        bool gpInProgress = k.rcu_state.GpInProgress;
        return (rdp.core_needs_qs && !rdp.cpu_no_qs_norm && gpInProgress) || k.rcu_state.gp_seq != rdp.gp_seq;
    }

    /// <summary>rcu_sched_clock_irq(user) -> rcu_pending() -> invoke_rcu_core(), on a nohz_full CPU.</summary>
    internal static IEnumerable<string> RcuSchedClockIrq(KernelState k, CpuState c, bool user)
    {
        bool fromIdle = c.ct.RruptFromIdle;
        if (user || fromIdle)
        {
            // rcu_flavor_sched_clock_irq(): a tick from user mode or idle is a quiescent state.
            RcuNoteContextSwitch(k, c);
        }

        yield return $"rcu_sched_clock_irq(user={(user ? 1 : 0)}): rcu_flavor_sched_clock_irq()";

        string? heuristic = KvmHeuristic(k, c);
        bool nohz = RcuNohzFullCpu(k, c);
        if ((user || fromIdle || heuristic is not null) && nohz)
        {
            if (!user && !fromIdle && RcuCoreHasWork(k, c))
            {
                k.Observe(new RcuCoreSuppressed(c.cpu, k.jiffies, heuristic!));
            }

            yield return $"rcu_pending: return 0 ({(user ? "user" : fromIdle ? "rcu_is_cpu_rrupt_from_idle()" : heuristic)} && rcu_nohz_full_cpu())";
            yield break;
        }

        bool pending = RcuCoreHasWork(k, c);
        yield return $"rcu_pending: return {(pending ? 1 : 0)}";
        if (pending)
        {
            c.rdp.rcu_cpu_has_work = true;
            Scheduler.WakeUpProcess(k, c.rcuc!);
            k.Observe(new RcucWakeup(c.cpu, k.jiffies));
            yield return $"invoke_rcu_core: wake_up_process(rcuc/{c.cpu})";
        }
    }
}
