using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Kernel.Time;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>rcu_gp_kthread(): waits for a request, then rcu_gp_init(), the FQS loop and rcu_gp_cleanup().</summary>
public sealed class RcuGpKthread() : TaskStruct("rcu_sched", schedFifo: false, cpu: -1)
{
    protected internal override IEnumerable<Stmt> Body(KernelState k)
    {
        RcuState rs = k.rcu_state;

        // The FQS wait's timeout: schedule_timeout()'s on-stack timer, armed while the kthread waits.
        var fqsTimer = new ProcessTimer(this);
        while (true)
        {
            while (!rs.gp_flags)
            {
                state = TaskState.Blocked;
                yield return Stmt.Sleep("rcu_gp_kthread: swait_event_idle_exclusive()");
            }

            // rcu_gp_init()
            rs.gp_flags = false;
            rs.gp_seq++;
            rs.gp_start = k.jiffies;

            // rcu_seq_start()'s smp_mb(): the update-side operations after it (the FQS scan's reads
            // of ct->state) are ordered after everything the housekeeping CPU did before.
            k.mem?.SmpMb(k.HousekeepingMemoryCpu);
            k.Observe(new RcuGpInit(rs.gp_seq, k.jiffies));
            yield return $"rcu_gp_init: rcu_seq_start(gp_seq={rs.gp_seq}), gp_start = {k.jiffies}";
            rs.qsmask = (1 << k.cpus.Length) - 1;
            rs.rnp_gp_seq = rs.gp_seq;
            yield return "rcu_gp_init: rnp->qsmask = qsmaskinit; rnp->gp_seq = gp_seq";

            // rcu_gp_fqs_loop()
            bool first = true;
            while (rs.qsmask != 0)
            {
                // jiffies_till_first_fqs may be 0; jiffies_till_next_fqs is at least 1.
                rs.jiffies_force_qs = k.jiffies + (first ? k.config.JiffiesTillFqs : Math.Max(1, k.config.JiffiesTillFqs));
                fqsTimer.expires = rs.jiffies_force_qs;
                k.timers.Add(fqsTimer);
                while (rs.qsmask != 0 && KernelState.TimeBefore(k.jiffies, rs.jiffies_force_qs))
                {
                    state = TaskState.Blocked;
                    yield return Stmt.Sleep("rcu_gp_fqs_loop: swait_event_idle_timeout_exclusive()");
                }

                // del_timer_sync(): a timer that fired has left the list already.
                k.timers.Remove(fqsTimer);
                for (int cpu = 0; cpu < k.cpus.Length; cpu++)
                {
                    if ((rs.qsmask & (1 << cpu)) == 0)
                    {
                        continue;
                    }

                    // force_qs_rnp(): rcu_watching_snap_save() on the first scan,
                    // rcu_watching_snap_recheck() after: an EQS now or since the snapshot is a QS.
                    // Both read the counter of the context-tracking word (ct_rcu_watching_cpu_acquire()
                    // masks off the state and work bits), so work another CPU sets is no transition.
                    ContextTracking.ContextTrackingState ct = k.cpus[cpu].ct;
                    RcuData rdp = k.rcu_state.rcu_data[cpu];
                    yield return ForceQsCpu(k, cpu, first, ct, rdp, out bool qs);
                }

                first = false;
            }

            // rcu_gp_cleanup(): rnp->gp_seq ends first, then rcu_state.gp_seq.
            rs.rnp_gp_seq = rs.gp_seq + 1;
            yield return $"rcu_gp_cleanup: rnp->gp_seq = {rs.rnp_gp_seq}";
            rs.gp_seq++;
            k.Observe(new RcuGpCleanup(rs.gp_seq, k.jiffies));
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
                k.Observe(new RcuDoBatch(id, k.jiffies));
                RcuCallbacks.Invoke(k, this, id);
                yield return $"rcu_do_batch: invoke callback {id}";
            }

            // A callback queued for a later grace period needs one.
            if (rs.cblist.Count > 0)
            {
                rs.gp_flags = true;
            }
        }
    }

    /// <summary>
    /// One CPU of force_qs_rnp(): takes the snapshot (or rechecks it), reports an extended quiescent
    /// state, and returns the statement's text; <paramref name="qs"/> says whether it reported one.
    /// With the machine's memory booted the scan reads ct->state from there, as
    /// ct_rcu_watching_cpu_acquire()'s atomic_read_acquire() after the leaf lock's full barrier
    /// (raw_spin_lock_irqsave_rcu_node()'s smp_mb__after_unlock_lock()); the kernel takes the lock
    /// once per leaf, the model before each CPU's snapshot. Under a weak mode the load may return an
    /// older value than the CPU's own.
    /// </summary>
    private static string ForceQsCpu(KernelState k, int cpu, bool first, ContextTracking.ContextTrackingState ct, RcuData rdp, out bool qs)
    {
        int seen;
        if (k.mem is { } mem && ct.MemoryWord is { } word)
        {
            mem.SmpMb(k.HousekeepingMemoryCpu);
            seen = mem.SmpLoadAcquire(k.HousekeepingMemoryCpu, word);
        }
        else
        {
            seen = ct.word.Read();
        }

        bool watching = ct.WatchingIn(seen);
        int rcuWatching = ct.RcuWatchingIn(seen);
        qs = !k.config.MutantFqsIgnoresEqs && (first ? !watching : rcuWatching != rdp.rcu_watching_snap || !watching);
        if (first)
        {
            rdp.rcu_watching_snap = rcuWatching;
        }

        if (qs)
        {
            TreeRcu.RcuReportQsRnp(k, cpu);
        }

        return $"rcu_gp_fqs: cpu{cpu} rcu_watching={rcuWatching}{(qs ? " -> extended QS, rcu_report_qs_rnp()" : string.Empty)}";
    }
}
