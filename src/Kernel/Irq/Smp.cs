using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Specifications;

namespace Verify.Kernel.Irq;

/// <summary>
/// kernel/smp.c: cross-CPU function calls. A call is queued on the target's call_single_queue and
/// the first one queued raises the call-function IPI there, which the target takes as an interrupt
/// at its next interrupts-enabled boundary (a halted CPU, idle or in a guest, is woken; a CPU in user
/// mode enters the kernel through the interrupt path from user, as for the tick). Its handler runs
/// every queued call; each is observed as an <see cref="IpiReceived"/> by callback type, and each
/// queueing as a <see cref="CsdQueued"/>. A sender that waits spins in csd_lock_wait() (a modelled
/// CPU, preemption off, interrupts on) or sleeps until the target's csd_unlock() (a housekeeping
/// kthread), each housekeeping CPU with csds of its own. A housekeeping sender's own CPU is not
/// modelled: a call never runs there. Boot with
/// <see cref="Boot"/> before <see cref="KernelState.Boot"/>; a machine without IPIs never reads the
/// IPI state, so its steps stay as local as before.
/// </summary>
public sealed class Smp
{
    private Smp(KernelState k)
    {
        int n = k.cpus.Length;
        int rows = n + k.config.HousekeepingCpus;
        cfd = new Csd[rows][];
        csd_data = new Csd[rows][];
        for (int s = 0; s < rows; s++)
        {
            int src = s < n ? s : KernelState.HousekeepingCpuId(s - n);
            cfd[s] = new Csd[n];
            csd_data[s] = new Csd[n];
            for (int d = 0; d < n; d++)
            {
                cfd[s][d] = new Csd { src = src };
                csd_data[s][d] = new Csd { src = src };
            }
        }
    }

    /// <summary>cfd_data: per sending CPU (the rows after the modelled CPUs' are the housekeeping CPUs', one each), the csd of each target, for smp_call_function_many_cond().</summary>
    private Csd[][] cfd { get; }

    /// <summary>csd_data: per sending CPU, the csd of each target for an asynchronous smp_call_function_single().</summary>
    private Csd[][] csd_data { get; }

    /// <summary>Gives every CPU its call_single_queue; call before <see cref="KernelState.Boot"/>.</summary>
    public static Smp Boot(KernelState k)
    {
        foreach (CpuState c in k.cpus)
        {
            c.call_single_queue = new CallSingleQueue();
        }

        return k.smp = new Smp(k);
    }

    /// <summary>The mask of every modelled CPU (cpu_online_mask).</summary>
    public static int AllCpus(KernelState k) => (1 << k.cpus.Length) - 1;

    /// <summary>
    /// smp_call_function_single(cpu, func, info, wait) by <paramref name="t"/>: on its own CPU the call
    /// runs at once with interrupts off; else it is queued on <paramref name="cpu"/> (and the IPI
    /// raised) in one step, and with <paramref name="wait"/> the caller waits until it has run.
    /// </summary>
    public static IEnumerable<Stmt> SmpCallFunctionSingle(KernelState k, TaskStruct t, int cpu, SmpCallFunc func, bool wait)
    {
        Smp smp = Booted(k);
        string where = $"smp_call_function_single(cpu{cpu}, {func.name}, wait={(wait ? 1 : 0)})";
        int me = t.cpu;
        if (me >= 0)
        {
            // get_cpu()
            CheckIrqsEnabled(k.cpus[me], where);
            k.cpus[me].preempt_count++;
        }

        if (cpu == me)
        {
            yield return Stmt.Call(RunLocal(k, k.cpus[me], func, where));
        }
        else
        {
            // A waiting caller's csd is on its stack; an asynchronous one uses its per-CPU csd_data, which may still be in flight.
            Csd csd = wait ? new Csd { src = me } : smp.csd_data[Row(k, me)][cpu];
            yield return Stmt.Call(CsdLock(k, t, csd, where));
            csd.func = func;
            csd.sync = wait;
            if (Enqueue(k, me, cpu, csd))
            {
                SendIpi(k, cpu);
            }

            yield return $"{where}: queue, IPI";
            if (wait)
            {
                yield return Stmt.Call(CsdLockWait(k, t, csd, where));
            }
        }

        if (me >= 0)
        {
            yield return Stmt.Call(Scheduler.PreemptEnable(k, t, $"{where}: put_cpu"));
        }
    }

    /// <summary>
    /// on_each_cpu_cond(cond, func, info, wait): every modelled CPU whose <paramref name="cond"/>
    /// holds runs <paramref name="func"/> (the caller's own CPU directly, the others by IPI).
    /// </summary>
    public static IEnumerable<Stmt> OnEachCpuCond(KernelState k, TaskStruct t, SmpCondFunc? cond, SmpCallFunc func, bool wait) =>
        SmpCallFunctionManyCond(k, t, AllCpus(k), func, wait, runLocal: true, cond);

    /// <summary>
    /// smp_call_function_many_cond(mask, func, info, scf_flags, cond_func) with preemption disabled
    /// around it (as on_each_cpu_cond_mask() does): for each target CPU of <paramref name="mask"/>
    /// other than the caller's, <paramref name="cond"/> is evaluated (a step, or the function's
    /// steps), and where it holds the call is queued (csd_lock() waits for this sender's previous call
    /// there to finish); then the IPIs go out in one step to the targets whose queue was empty; then
    /// with <paramref name="runLocal"/> (SCF_RUN_LOCAL) the caller's own CPU runs the call if its
    /// cond holds; then with <paramref name="wait"/> the caller waits for each target's call.
    /// </summary>
    public static IEnumerable<Stmt> SmpCallFunctionManyCond(KernelState k, TaskStruct t, int mask, SmpCallFunc func, bool wait, bool runLocal, SmpCondFunc? cond)
    {
        Smp smp = Booted(k);
        string where = $"smp_call_function_many_cond({func.name})";
        int me = t.cpu;
        if (me >= 0)
        {
            CheckIrqsEnabled(k.cpus[me], where);
            k.cpus[me].preempt_count++;
        }

        var result = new SmpCondResult();
        int targets = 0;
        int ipis = 0;
        for (int cpu = 0; cpu < k.cpus.Length; cpu++)
        {
            if (cpu == me || (mask & (1 << cpu)) == 0)
            {
                continue;
            }

            if (cond is not null)
            {
                yield return Stmt.Call(cond.Cond(k, t, cpu, result));
                if (!result.value)
                {
                    continue;
                }
            }

            Csd csd = smp.cfd[Row(k, me)][cpu];
            yield return Stmt.Call(CsdLock(k, t, csd, where));
            csd.func = func;
            csd.sync = wait;
            if (Enqueue(k, me, cpu, csd))
            {
                ipis |= 1 << cpu;
            }

            targets |= 1 << cpu;
            yield return $"{where}: queue on cpu{cpu}";
        }

        if (ipis != 0)
        {
            for (int cpu = 0; cpu < k.cpus.Length; cpu++)
            {
                if ((ipis & (1 << cpu)) != 0)
                {
                    SendIpi(k, cpu);
                }
            }

            yield return $"{where}: send_call_function_ipi_mask(0x{ipis:x})";
        }

        if (runLocal && me >= 0 && (mask & (1 << me)) != 0)
        {
            bool run = true;
            if (cond is not null)
            {
                yield return Stmt.Call(cond.Cond(k, t, me, result));
                run = result.value;
            }

            if (run)
            {
                yield return Stmt.Call(RunLocal(k, k.cpus[me], func, where));
            }
        }

        if (wait)
        {
            for (int cpu = 0; cpu < k.cpus.Length; cpu++)
            {
                if ((targets & (1 << cpu)) != 0)
                {
                    yield return Stmt.Call(CsdLockWait(k, t, smp.cfd[Row(k, me)][cpu], where));
                }
            }
        }

        if (me >= 0)
        {
            yield return Stmt.Call(Scheduler.PreemptEnable(k, t, $"{where}: preempt_enable"));
        }
    }

    /// <summary>
    /// generic_smp_call_function_single_interrupt() -> __flush_smp_call_function_queue(): takes the
    /// whole queue, then runs each call; an asynchronous csd is unlocked before its call (it may be
    /// reused), a synchronous one after, which is what releases its waiting sender.
    /// </summary>
    internal static IEnumerable<Stmt> CallFunctionInterrupt(KernelState k, CpuState c, bool user)
    {
        CallSingleQueue q = c.call_single_queue!;
        List<Csd> calls = [.. q.entries];
        q.entries.Clear();
        yield return "generic_smp_call_function_single_interrupt: llist_del_all(call_single_queue)";
        foreach (Csd csd in calls)
        {
            SmpCallFunc func = csd.func!;
            k.Observe(new IpiReceived(c.cpu, csd.src, func.name, k.jiffies, user));
            bool sync = csd.sync;
            if (!sync)
            {
                CsdUnlock(k, csd);
            }

            yield return Stmt.Call(func.Func(k, c));
            if (sync)
            {
                CsdUnlock(k, csd);
                yield return $"csd_unlock({func.name})";
            }
        }
    }

    private static Smp Booted(KernelState k) =>
        k.smp ?? throw new InvalidOperationException("IPIs need the machine's call_single_queues: call Smp.Boot(k) before KernelState.Boot().");

    /// <summary>
    /// The kernel's WARN_ON_ONCE(irqs_disabled()) / lockdep_assert_irqs_enabled(): with interrupts
    /// off two CPUs calling each other could wait for each other forever.
    /// </summary>
    private static void CheckIrqsEnabled(CpuState c, string where) =>
        Specification.Assert(!c.irqs_disabled, "WARNING: {0} called on cpu{1} with interrupts disabled.", where, c.cpu);

    /// <summary>The sender's row of csds: its CPU number, or after the modelled CPUs one per housekeeping CPU.</summary>
    private static int Row(KernelState k, int me) => me >= 0 ? me : k.cpus.Length + (-1 - me);

    /// <summary>The call on the caller's own CPU: local_irq_save(); func(info); local_irq_restore().</summary>
    private static IEnumerable<Stmt> RunLocal(KernelState k, CpuState c, SmpCallFunc func, string where)
    {
        bool flags = c.irqs_disabled;
        c.irqs_disabled = true;
        yield return $"{where}: local_irq_save()";
        yield return Stmt.Call(func.Func(k, c));
        c.irqs_disabled = flags;
        yield return $"{where}: local_irq_restore()";
    }

    /// <summary>csd_lock(): waits for the csd's previous call to finish, then takes CSD_FLAG_LOCK (in the queueing step).</summary>
    private static IEnumerable<Stmt> CsdLock(KernelState k, TaskStruct t, Csd csd, string where)
    {
        if (csd.locked)
        {
            yield return Stmt.Call(CsdLockWait(k, t, csd, $"{where}: csd_lock"));
        }

        csd.locked = true;
    }

    /// <summary>csd_lock_wait(): until the target's csd_unlock(); a modelled CPU spins, a housekeeping kthread sleeps.</summary>
    private static IEnumerable<Stmt> CsdLockWait(KernelState k, TaskStruct t, Csd csd, string where)
    {
        while (csd.locked)
        {
            csd.waiter = t;
            if (t.cpu < 0)
            {
                t.state = TaskState.Blocked;
                yield return Stmt.Sleep($"{where}: csd_lock_wait()");
            }
            else
            {
                yield return Stmt.Spin($"{where}: csd_lock_wait(): spinning");
            }
        }

        csd.waiter = null;
        yield return $"{where}: csd_lock_wait() returns";
    }

    /// <summary>csd_unlock(): clears CSD_FLAG_LOCK and releases a waiter.</summary>
    private static void CsdUnlock(KernelState k, Csd csd)
    {
        csd.locked = false;
        if (csd.waiter is TaskStruct w)
        {
            if (w.cpu < 0)
            {
                k.WakeHousekeeping(w);
            }
            else
            {
                k.Kick(k.cpus[w.cpu]);
            }
        }
    }

    /// <summary>__smp_call_single_queue(): llist_add(); true when the queue was empty, so the target needs an IPI.</summary>
    private static bool Enqueue(KernelState k, int src, int cpu, Csd csd)
    {
        List<Csd> entries = k.cpus[cpu].call_single_queue!.entries;
        bool first = entries.Count == 0;
        entries.Add(csd);
        k.Observe(new CsdQueued(src, cpu, csd.func!.name, k.jiffies));
        return first;
    }

    /// <summary>arch_send_call_function_single_ipi(): raises the call-function vector on the target and wakes it if halted.</summary>
    private static void SendIpi(KernelState k, int cpu)
    {
        CpuState c = k.cpus[cpu];
        c.call_single_queue!.ipi_pending = true;
        k.Kick(c);
    }
}
