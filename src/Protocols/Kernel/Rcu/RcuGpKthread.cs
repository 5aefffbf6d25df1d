using Verify.Specs.Rcu;

namespace Verify.Protocols.Kernel.Rcu;

/// <summary>rcu_gp_kthread(): waits for a request, then rcu_gp_init(), the FQS loop and rcu_gp_cleanup().</summary>
public sealed class RcuGpKthread() : TaskStruct("rcu_preempt", schedFifo: false, cpu: -1)
{
    protected internal override IEnumerable<string> Body(KernelState k)
    {
        RcuState rs = k.rcu_state;
        while (true)
        {
            while (!rs.gp_flags)
            {
                state = TaskState.Blocked;
                yield return KernelState.SleepStatement;
            }

            // rcu_gp_init()
            rs.gp_flags = false;
            rs.gp_seq++;
            rs.gp_start = k.jiffies;
            k.Observe(new GracePeriodStart(rs.gp_seq, k.jiffies));
            yield return $"rcu_gp_init: rcu_seq_start(gp_seq={rs.gp_seq}), gp_start = {k.jiffies}";
            rs.qsmask = (1 << k.cpus.Length) - 1;
            yield return "rcu_gp_init: rnp->qsmask = qsmaskinit";

            // rcu_gp_fqs_loop()
            bool first = true;
            while (rs.qsmask != 0)
            {
                // jiffies_till_first_fqs may be 0; jiffies_till_next_fqs is at least 1.
                rs.jiffies_force_qs = k.jiffies + (first ? k.config.JiffiesTillFqs : Math.Max(1, k.config.JiffiesTillFqs));
                rs.fqs_timer_armed = true;
                while (rs.qsmask != 0 && KernelState.TimeBefore(k.jiffies, rs.jiffies_force_qs))
                {
                    state = TaskState.Blocked;
                    yield return KernelState.SleepStatement;
                }

                rs.fqs_timer_armed = false;
                for (int cpu = 0; cpu < k.cpus.Length; cpu++)
                {
                    if ((rs.qsmask & (1 << cpu)) == 0)
                    {
                        continue;
                    }

                    // force_qs_rnp(): dyntick_save_progress_counter() on the first scan,
                    // rcu_watching_snap_recheck() after: an EQS now or since the snapshot is a QS.
                    ContextTracking ct = k.cpus[cpu].ct;
                    RcuData rdp = k.cpus[cpu].rdp;
                    bool qs = first ? !ct.Watching : ct.rcu_watching != rdp.rcu_watching_snap || !ct.Watching;
                    if (first)
                    {
                        rdp.rcu_watching_snap = ct.rcu_watching;
                    }

                    if (qs)
                    {
                        TreeRcu.ReportQs(k, cpu);
                    }

                    yield return $"rcu_gp_fqs: cpu{cpu} rcu_watching={ct.rcu_watching}{(qs ? " -> extended QS, rcu_report_qs_rnp()" : string.Empty)}";
                }

                first = false;
            }

            // rcu_gp_cleanup()
            rs.gp_seq++;
            k.Observe(new GracePeriodEnd(rs.gp_seq, k.jiffies));
            foreach (TaskStruct w in rs.waiters)
            {
                k.WakeHousekeeping(w);
            }

            rs.waiters.Clear();
            yield return $"rcu_gp_cleanup: rcu_seq_end(gp_seq={rs.gp_seq})";

            // rcu_do_batch() on the housekeeping CPU: callbacks whose grace period has completed.
            for (int i = 0; i < rs.cblist.Count;)
            {
                (int id, int needed) = rs.cblist[i];
                if (rs.gp_seq - needed < 0)
                {
                    i++;
                    continue;
                }

                rs.cblist.RemoveAt(i);
                k.Observe(new CallbackInvoked(id, k.jiffies));
                yield return $"rcu_do_batch: invoke callback {id}";
            }

            // A callback queued for a later grace period needs one.
            if (rs.cblist.Count > 0)
            {
                rs.gp_flags = true;
            }
        }
    }
}

/// <summary>
/// A housekeeping task calling synchronize_rcu() <c>count</c> times, each after sleeping a number
/// of jiffies the exploration chooses (below <c>spread</c>), so grace periods start at any jiffy.
/// </summary>
public sealed class SynchronizeRcuCaller(int count, int spread) : TaskStruct("updater", schedFifo: false, cpu: -1)
{
    protected internal override IEnumerable<string> Body(KernelState k)
    {
        RcuState rs = k.rcu_state;
        for (int i = 0; i < count; i++)
        {
            foreach (string s in ScheduleTimeout(k, k.RandomInteger(Math.Max(1, spread))))
            {
                yield return s;
            }

            yield return "synchronize_rcu()";
            int target = rs.SeqSnap();
            TreeRcu.RcuStartThisGp(k);
            yield return $"synchronize_rcu: rcu_start_this_gp(), wait for gp_seq {target}";
            while (rs.gp_seq - target < 0)
            {
                state = TaskState.Blocked;
                rs.waiters.Add(this);
                yield return KernelState.SleepStatement;
            }

            yield return "synchronize_rcu: returns";
        }
    }
}

/// <summary>
/// A housekeeping task calling call_rcu() <c>count</c> times at jiffies the exploration chooses:
/// each callback waits for a full grace period that starts after it is queued.
/// </summary>
public sealed class CallRcuCaller(int count, int spread) : TaskStruct("call_rcu", schedFifo: false, cpu: -1)
{
    protected internal override IEnumerable<string> Body(KernelState k)
    {
        RcuState rs = k.rcu_state;
        for (int i = 0; i < count; i++)
        {
            foreach (string s in ScheduleTimeout(k, k.RandomInteger(Math.Max(1, spread))))
            {
                yield return s;
            }

            int id = k.nextCallback++;

            // The mutant settles for the grace period in progress instead of a full one after now.
            rs.cblist.Add((id, k.config.MutantCallbackRidesCurrentGracePeriod ? (rs.gp_seq + 1) & ~1 : rs.SeqSnap()));
            k.Observe(new CallbackQueued(id));
            TreeRcu.RcuStartThisGp(k);
            yield return $"call_rcu(callback {id})";
        }
    }
}

/// <summary>rcuc/N: rcu_cpu_kthread() running rcu_core() on its nohz_full CPU at SCHED_FIFO.</summary>
public sealed class RcucKthread(int cpu) : TaskStruct($"rcuc/{cpu}", schedFifo: true, cpu)
{
    protected internal override IEnumerable<string> Body(KernelState k)
    {
        while (true)
        {
            CpuState c = k.cpus[cpu];
            while (!c.rdp.rcu_cpu_has_work)
            {
                state = TaskState.Blocked;
                foreach (string s in Scheduler.Schedule(k, c, "rcu_cpu_kthread"))
                {
                    yield return s;
                }

                c = k.cpus[cpu];
            }

            c.rdp.rcu_cpu_has_work = false;
            RcuState rs = k.rcu_state;
            RcuData rdp = c.rdp;

            // note_gp_changes(): catch up with the grace period; a new one needs a QS from this CPU.
            if (rdp.gp_seq != rs.gp_seq)
            {
                rdp.gp_seq = rs.gp_seq;
                if (rs.GpInProgress)
                {
                    rdp.core_needs_qs = true;
                    rdp.cpu_no_qs_norm = true;
                }
            }

            yield return $"rcu_core: note_gp_changes() gp_seq={rdp.gp_seq}";

            // rcu_check_quiescent_state() -> rcu_report_qs_rdp()
            bool report = rdp.core_needs_qs && !rdp.cpu_no_qs_norm && rs.GpInProgress && rdp.gp_seq == rs.gp_seq;
            if (report)
            {
                TreeRcu.ReportQs(k, cpu);
            }

            yield return $"rcu_core: rcu_check_quiescent_state(){(report ? " -> rcu_report_qs_rdp()" : string.Empty)}";
        }
    }
}
