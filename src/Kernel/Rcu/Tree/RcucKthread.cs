using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>rcuc/N: rcu_cpu_kthread() running rcu_core() on its CPU at SCHED_FIFO; pinned there.</summary>
public sealed class RcucKthread(int cpu) : TaskStruct($"rcuc/{cpu}", schedFifo: true, cpu)
{
    protected internal override IEnumerable<Stmt> Body(KernelState k)
    {
        CpuState c = k.cpus[cpu];
        RcuData rdp = k.rcu_state.rcu_data[cpu];
        while (true)
        {
            while (!rdp.rcu_cpu_has_work)
            {
                state = TaskState.Blocked;
                yield return Stmt.Call(Scheduler.Schedule(k, this, SchedMode.Voluntary, "rcu_cpu_kthread"));
            }

            // rcu_cpu_kthread(): local_bh_disable() around rcu_core(), so a tick inside it is no
            // quiescent state (preempt_count() is not HARDIRQ_OFFSET).
            c.preempt_count++;
            rdp.rcu_cpu_has_work = false;

            // rcu_core() -> rcu_check_quiescent_state(): note_gp_changes() first.
            TreeRcu.NoteGpChanges(k, c);
            yield return $"rcu_core: local_bh_disable(); note_gp_changes() gp_seq={rdp.gp_seq}";

            // ... then report a quiescent state the RCU core still needs: rcu_report_qs_rdp().
            bool report = rdp.core_needs_qs && !rdp.cpu_no_qs_norm && TreeRcu.RcuReportQsRdp(k, c);
            yield return $"rcu_core: rcu_check_quiescent_state(){(report ? " -> rcu_report_qs_rdp()" : string.Empty)}";
            yield return Stmt.Call(Scheduler.PreemptEnable(k, this, "rcu_cpu_kthread: local_bh_enable"));
        }
    }
}
