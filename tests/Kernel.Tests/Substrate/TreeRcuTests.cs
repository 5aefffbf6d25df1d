using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sched;
using Xunit;

namespace Kernel.Tests.Substrate;

/// <summary>
/// Tree RCU's per-CPU bookkeeping (issue 12, defect 7), by calling its functions directly on a
/// machine built outside a run: one flavour (non-preemptible RCU, rcu_sched), and the kernel's rules
/// for core_needs_qs and for what rcu_pending() compares.
/// </summary>
public sealed class TreeRcuTests
{
    /// <summary>
    /// In non-preemptible RCU a tick that interrupts kernel code with preemption enabled
    /// (preempt_count() == HARDIRQ_OFFSET) is a quiescent state, and one inside a preempt-disabled
    /// region is not. Catches the old rcu_flavor_sched_clock_irq() that knew only user mode and idle.
    /// </summary>
    [Fact]
    public void Tick_FromPreemptibleKernelCode_IsAQuiescentState_InNonPreemptibleRcu()
    {
        Assert.Equal("rcu_sched", new RcuGpKthread().comm);
        Assert.True(TickNotesQs(preemptCount: 0));
        Assert.False(TickNotesQs(preemptCount: 1));
    }

    /// <summary>
    /// __note_gp_changes() on a new grace period needs a quiescent state from this CPU exactly when
    /// its bit is in rnp->qsmask. Catches the old note_gp_changes() that set core_needs_qs unconditionally.
    /// </summary>
    [Fact]
    public void NoteGpChanges_NeedsAQuiescentState_OnlyWhenTheCpusBitIsInQsmask()
    {
        KernelState k = Machine(cpus: 2);
        k.rcu_state.gp_seq = 1;
        k.rcu_state.rnp_gp_seq = 1;
        k.rcu_state.qsmask = 0b10;

        TreeRcu.NoteGpChanges(k, k.cpus[0]);
        TreeRcu.NoteGpChanges(k, k.cpus[1]);

        Assert.Equal(1, k.rcu_state.rcu_data[0].gp_seq);
        Assert.False(k.rcu_state.rcu_data[0].core_needs_qs);
        Assert.False(k.rcu_state.rcu_data[0].cpu_no_qs_norm);
        Assert.True(k.rcu_state.rcu_data[1].core_needs_qs);
        Assert.True(k.rcu_state.rcu_data[1].cpu_no_qs_norm);
    }

    /// <summary>
    /// rcu_report_qs_rnp(), the FQS scan's report of an extended quiescent state, clears the CPU's
    /// qsmask bit and leaves rdp->core_needs_qs alone. Catches the old ReportQs that cleared it on the FQS path.
    /// </summary>
    [Fact]
    public void RcuReportQsRnp_OnTheFqsPath_LeavesCoreNeedsQsAlone()
    {
        KernelState k = Machine(cpus: 1);
        k.rcu_state.gp_seq = 1;
        k.rcu_state.rnp_gp_seq = 1;
        k.rcu_state.qsmask = 0b1;
        RcuData rdp = k.rcu_state.rcu_data[0];
        rdp.gp_seq = 1;
        rdp.core_needs_qs = true;

        TreeRcu.RcuReportQsRnp(k, 0);

        Assert.Equal(0, k.rcu_state.qsmask);
        Assert.True(rdp.core_needs_qs);
    }

    /// <summary>
    /// rcu_report_qs_rdp() clears rdp->core_needs_qs for a quiescent state of the current grace
    /// period even when the CPU's bit is already clear (the FQS scan reported it). Catches the old
    /// ReportQs on the rcuc path that returned early on a clear bit and left core_needs_qs set.
    /// </summary>
    [Fact]
    public void RcuReportQsRdp_ClearsCoreNeedsQs_EvenWhenTheBitIsAlreadyClear()
    {
        KernelState k = Machine(cpus: 1);
        k.rcu_state.gp_seq = 1;
        k.rcu_state.rnp_gp_seq = 1;
        k.rcu_state.qsmask = 0;
        RcuData rdp = k.rcu_state.rcu_data[0];
        rdp.gp_seq = 1;
        rdp.cpu_no_qs_norm = false;
        rdp.core_needs_qs = true;

        Assert.False(TreeRcu.RcuReportQsRdp(k, k.cpus[0]));
        Assert.False(rdp.core_needs_qs);
    }

    /// <summary>
    /// rcu_pending() asks whether this CPU has caught up with rnp->gp_seq: in the middle of
    /// rcu_gp_init(), after rcu_seq_start() and before rnp->gp_seq is set, a CPU that knows the
    /// rcu_node's grace period has nothing to note and rcuc is not woken; once rnp->gp_seq moves it is.
    /// Catches the old rcu_pending() that compared rdp->gp_seq with rcu_state.gp_seq.
    /// </summary>
    [Fact]
    public void RcuPending_ComparesTheCpusGpSeq_WithTheRcuNodes()
    {
        Assert.False(TickWakesRcuc(rnpGpSeq: 0));
        Assert.True(TickWakesRcuc(rnpGpSeq: 1));
    }

    /// <summary>
    /// rcutree.use_softirq: a tick from user space on a CPU outside nohz_full, in a grace period that
    /// waits for it, reports the quiescent state itself with RCU_SOFTIRQ (rcu_core() at irq exit),
    /// and leaves it to rcuc/N (woken, the bit still set) without.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void UserTick_ReportsTheQuiescentStateAtIrqExit_OnlyWithRcuSoftirq(bool softirq)
    {
        KernelState k = Machine(cpus: 2, nohzFull: false, softirq: softirq);
        k.rcu_state.gp_seq = 1;
        k.rcu_state.rnp_gp_seq = 1;
        k.rcu_state.qsmask = 0b11;
        CpuState c = k.cpus[0];
        k.rcu_state.rcu_data[c.cpu].gp_seq = 1;
        k.rcu_state.rcu_data[c.cpu].core_needs_qs = true;
        k.rcu_state.rcu_data[c.cpu].cpu_no_qs_norm = true;

        List<string> texts = StatementTexts.Of(TreeRcu.RcuSchedClockIrq(k, c, user: true));

        Assert.Equal(softirq ? 0b10 : 0b11, k.rcu_state.qsmask);
        Assert.Equal(!softirq, k.rcu_state.rcu_data[c.cpu].rcu_cpu_has_work);
        Assert.Equal(softirq, texts.Contains("rcu_core (RCU_SOFTIRQ): rcu_check_quiescent_state() -> rcu_report_qs_rdp()"));
    }

    /// <summary>A machine built outside a run (no step in progress, so no owner checks); no actor is created.</summary>
    private static KernelState Machine(int cpus, bool nohzFull = true, bool softirq = false)
    {
        var k = new KernelState(new KernelConfig { Cpus = cpus, NohzFull = nohzFull, RcuUseSoftirq = softirq }, null!);
        k.rcu_state.gp_kthread = new RcuGpKthread();
        foreach (CpuState c in k.cpus)
        {
            k.rcu_state.rcu_data[c.cpu].rcu_cpu_kthread_task = new RcucKthread(c.cpu) { state = TaskState.Blocked, on_rq = false };
        }

        return k;
    }

    /// <summary>Runs rcu_flavor_sched_clock_irq() for a tick from the kernel at the given count; whether it noted a QS.</summary>
    private static bool TickNotesQs(int preemptCount)
    {
        KernelState k = Machine(cpus: 1);
        CpuState c = k.cpus[0];
        c.preempt_count = preemptCount;
        k.rcu_state.rcu_data[c.cpu].cpu_no_qs_norm = true;
        Assert.False(c.ct.RruptFromIdle);

        using IEnumerator<Stmt> irq = TreeRcu.RcuSchedClockIrq(k, c, user: false).GetEnumerator();
        Assert.True(irq.MoveNext());
        return !k.rcu_state.rcu_data[c.cpu].cpu_no_qs_norm;
    }

    /// <summary>A tick from the kernel on a CPU outside nohz_full mid rcu_gp_init(); whether rcu_pending() woke rcuc.</summary>
    private static bool TickWakesRcuc(int rnpGpSeq)
    {
        KernelState k = Machine(cpus: 1, nohzFull: false);
        k.rcu_state.gp_seq = 1;
        k.rcu_state.rnp_gp_seq = rnpGpSeq;
        k.rcu_state.qsmask = 0;
        CpuState c = k.cpus[0];
        k.rcu_state.rcu_data[c.cpu].gp_seq = 0;

        foreach (Stmt _ in TreeRcu.RcuSchedClockIrq(k, c, user: false))
        {
        }

        return k.rcu_state.rcu_data[c.cpu].rcu_cpu_has_work;
    }
}
