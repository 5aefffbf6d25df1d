using Verify.Kernel.Machine;
using Verify.Kernel.Memory;
using Verify.Kernel.Rcu.Srcu;
using Verify.Kernel.Sched;
using Verify.Kernel.Sync;
using Verify.Kernel.Work;
using Verify.Specifications;
using static Verify.Kernel.Rcu.Srcu.RcuSeq;

namespace Verify.Protocols.Srcu;

/// <summary>
/// The update side of Tree SRCU (SRCU_SIZE_SMALL) as one variant writes it: srcu_get_delay(),
/// try_check_zero(), srcu_advance_state(), srcu_gp_start(), srcu_gp_end(), srcu_funnel_gp_start(),
/// srcu_gp_start_if_needed(), __synchronize_srcu(), process_srcu(), srcu_reschedule(),
/// srcu_invoke_callbacks() and cleanup_srcu_struct(), one shared access or lock operation per step.
/// </summary>
internal sealed class SrcuTree
{
    /// <summary>SRCU_INTERVAL: the delay, in jiffies, of a grace period no one needs expedited.</summary>
    internal const int SRCU_INTERVAL = 1;

    /// <summary>SRCU_MAX_INTERVAL (282d8998e997 on): the delay's cap.</summary>
    internal const int SRCU_MAX_INTERVAL = 10;

    internal SrcuTree(KernelState k, SrcuStruct ssp, Variant variant, SrcuParams p)
    {
        this.k = k;
        this.ssp = ssp;
        Variant = variant;
        P = p;
        srcu_max_nodelay_phase = p.SrcuMaxNodelayPhase ?? variant.DefaultMaxNodelayPhase(k.HZ);
        srcu_max_nodelay = p.SrcuMaxNodelay ?? variant.DefaultMaxNodelay(k.HZ);
        srcu_retry_check_delay = p.SrcuRetryCheckDelay;
        ssp.srcu_sup.work.fn = new ProcessSrcu(this);
        foreach (SrcuData sdp in ssp.sda)
        {
            sdp.work.fn = new SrcuInvokeCallbacks(this, sdp);
        }
    }

    private readonly KernelState k;

    internal SrcuStruct ssp { get; }

    [field: Frozen]
    internal Variant Variant { get; }

    [field: Frozen]
    internal SrcuParams P { get; }

    /// <summary>SRCU_MAX_NODELAY_PHASE or the module parameter.</summary>
    [field: Frozen]
    internal int srcu_max_nodelay_phase { get; }

    /// <summary>SRCU_MAX_NODELAY or the module parameter.</summary>
    [field: Frozen]
    internal int srcu_max_nodelay { get; }

    /// <summary>SRCU_RETRY_CHECK_DELAY or the module parameter, in microseconds.</summary>
    [field: Frozen]
    internal int srcu_retry_check_delay { get; }

    private SrcuUsage sup => ssp.srcu_sup;

    /// <summary>srcu_gp_start as the monitors see it: null in the version before 282d8998e997, which has no such field.</summary>
    private long? GpStartRecorded => Variant.Heuristics() ? sup.srcu_gp_start : null;

    /// <summary>A value a called function hands back to its caller.</summary>
    internal sealed class Ret
    {
        internal long value;

        /// <summary>For srcu_get_delay(): the grace-period sequence its decision read, and the jiffy it read.</summary>
        internal long seq;

        internal int jiffies;
    }

    // ---------------------------------------------------------------- srcu_get_delay()

    /// <summary>srcu_get_delay() as the variant writes it; the delay goes to <paramref name="ret"/>.</summary>
    internal IEnumerable<Stmt> SrcuGetDelay(TaskStruct t, string caller, Ret ret, bool assertHeld = true)
    {
        const string fn = "srcu_get_delay";
        if (Variant.GetDelayLocked() && assertHeld)
        {
            LockdepAssert.Held(t, sup.@lock, $"{fn}() from {caller}");
        }

        long gpSeq = sup.srcu_gp_seq;
        ret.seq = gpSeq;
        ret.jiffies = k.jiffies;
        yield return $"{fn}: READ_ONCE(srcu_gp_seq) = {gpSeq} ({StateName(gpSeq)})";
        long needed = sup.srcu_gp_seq_needed_exp;
        bool expedited = ULONG_CMP_LT(gpSeq, needed) || (P.MutantExpeditedOffByOne && gpSeq == needed);
        if (!Variant.Heuristics())
        {
            long d = expedited ? 0 : SRCU_INTERVAL;
            Computed(caller, d, gpSeq);
            ret.value = d;
            yield return $"{fn}: READ_ONCE(srcu_gp_seq_needed_exp) = {needed}: return {d}";
            yield break;
        }

        long jbase = expedited ? 0 : SRCU_INTERVAL;
        yield return $"{fn}: READ_ONCE(srcu_gp_seq_needed_exp) = {needed}: jbase = {jbase}";
        long state = sup.srcu_gp_seq;
        bool inProgress = rcu_seq_state(state) != SRCU_STATE_IDLE;
        yield return $"{fn}: rcu_seq_state(READ_ONCE(srcu_gp_seq)) = {StateName(state)}";
        if (inProgress)
        {
            long gpstart = sup.srcu_gp_start;
            if (Variant.JiffiesMinusOne())
            {
                long j = k.jiffies - 1;
                if (j - gpstart > 0)
                {
                    jbase += j - gpstart;
                }

                yield return $"{fn}: j = jiffies - 1 = {j}; gpstart = READ_ONCE(srcu_gp_start) = {gpstart}: jbase = {jbase}";
            }
            else
            {
                jbase += k.jiffies - gpstart;
                yield return $"{fn}: jbase += jiffies - READ_ONCE(srcu_gp_start) = {k.jiffies} - {gpstart}: jbase = {jbase}";
            }
        }

        bool budget = Variant.NodelayBudget() && (inProgress || !Variant.NodelayBudgetNested());
        if (budget && jbase == 0)
        {
            Ret n = new();
            yield return Stmt.Call(NodelayCount(t, fn, n));
            if (n.value > srcu_max_nodelay_phase)
            {
                jbase = 1;
            }
        }

        long delay = jbase > SRCU_MAX_INTERVAL && !P.MutantNoIntervalCap ? SRCU_MAX_INTERVAL : jbase;
        Computed(caller, delay, gpSeq);
        ret.value = delay;
        yield return $"{fn}: return {delay}";
    }

    /// <summary>
    /// WRITE_ONCE(srcu_n_exp_nodelay, READ_ONCE(srcu_n_exp_nodelay) + 1), then READ_ONCE() of it for
    /// the comparison: three accesses (the deliberately broken kernel skips the increment).
    /// </summary>
    private IEnumerable<Stmt> NodelayCount(TaskStruct t, string fn, Ret ret)
    {
        PlainVar n = sup.srcu_n_exp_nodelay;
        if (!P.MutantNoNodelayCount)
        {
            if (Variant.ExclusiveWriterAsserts())
            {
                ExclusiveWriter.Assert(n, t, fn);
            }

            long v = n.Load(k, t, fn);
            yield return $"{fn}: {(Variant.ExclusiveWriterAsserts() ? "ASSERT_EXCLUSIVE_WRITER(srcu_n_exp_nodelay); " : string.Empty)}READ_ONCE(srcu_n_exp_nodelay) = {v}";
            n.Store(k, t, v + 1, fn, rmw: true);
            yield return $"{fn}: WRITE_ONCE(srcu_n_exp_nodelay, {v + 1})";
        }

        long now = n.Load(k, t, fn);
        ret.value = now;
        yield return $"{fn}: READ_ONCE(srcu_n_exp_nodelay) = {now} {(now > srcu_max_nodelay_phase ? ">" : "<=")} {srcu_max_nodelay_phase}{(now > srcu_max_nodelay_phase ? ": jbase = 1" : string.Empty)}";
    }

    private void Computed(string caller, long delay, long gpSeq) =>
        k.Observe(new SrcuDelayComputed(caller, delay, gpSeq, k.jiffies, GpStartRecorded));

    /// <summary>srcu_get_delay() with srcu_sup->lock taken around it where the variant does (d31e31365b5b) and the caller does not already hold it.</summary>
    private IEnumerable<Stmt> SrcuGetDelayLockedIfForced(TaskStruct t, string caller, Ret ret, bool mutantUnlocked = false)
    {
        bool lockIt = Variant.GetDelayLocked() && !mutantUnlocked;
        if (lockIt)
        {
            yield return Stmt.Call(Locking.Lock(k, t, sup.@lock, irq: true));
        }

        // The broken kernel (mutantUnlocked) leaves d31e31365b5b's lock and lockdep assertion out of this caller.
        yield return Stmt.Call(SrcuGetDelay(t, caller, ret, assertHeld: !mutantUnlocked));

        if (lockIt)
        {
            yield return Stmt.Call(Locking.Unlock(k, t, sup.@lock, irq: true));
        }
    }

    // ---------------------------------------------------------------- try_check_zero()

    /// <summary>try_check_zero(ssp, idx, trycount): true when rank <paramref name="idx"/> has no readers, polling with udelay() as the variant allows.</summary>
    internal IEnumerable<Stmt> TryCheckZero(TaskStruct t, int idx, int trycount, Ret ret)
    {
        const string fn = "try_check_zero";
        long curdelay = 0;
        if (Variant.ModuleParams())
        {
            var d = new Ret();
            yield return Stmt.Call(SrcuGetDelayLockedIfForced(t, fn, d, P.MutantGetDelayUnlocked));
            curdelay = d.value == 0 ? 1 : 0;
            yield return $"{fn}: curdelay = !srcu_get_delay() = {curdelay}";
        }

        var scan = new SrcuScanResult();
        while (true)
        {
            yield return Stmt.Call(SrcuReadSide.SrcuReadersActiveIdxCheck(ssp, t.cpu, idx, scan));
            if (scan.zero)
            {
                ret.value = 1;
                yield break;
            }

            k.Observe(new SrcuScanFailed(idx));
            --trycount;
            if (Variant.ModuleParams())
            {
                if (trycount + curdelay <= 0)
                {
                    ret.value = 0;
                    yield return $"{fn}: --trycount + curdelay = {trycount + curdelay}: return false";
                    yield break;
                }
            }
            else
            {
                var d = new Ret();
                yield return Stmt.Call(SrcuGetDelay(t, fn, d));
                long nodelay = d.value == 0 ? 1 : 0;
                if (trycount + nodelay <= 0)
                {
                    ret.value = 0;
                    yield return $"{fn}: --trycount + !srcu_get_delay() = {trycount + nodelay}: return false";
                    yield break;
                }
            }

            yield return Stmt.Call(Udelay.Busy(srcu_retry_check_delay, P.NsPerStatement));
        }
    }

    // ---------------------------------------------------------------- grace-period start and end

    /// <summary>srcu_gp_start(): the caller holds srcu_sup->lock.</summary>
    internal IEnumerable<Stmt> SrcuGpStart(TaskStruct t)
    {
        const string fn = "srcu_gp_start";
        LockdepAssert.Held(t, sup.@lock, fn);
        yield return $"{fn}: spin_lock_rcu_node(sda[0]); rcu_segcblist_advance(); rcu_segcblist_accelerate(); spin_unlock_rcu_node(sda[0])";
        if (Variant.Heuristics())
        {
            sup.srcu_gp_start = k.jiffies;
            yield return $"{fn}: WRITE_ONCE(srcu_gp_start, jiffies = {k.jiffies})";
            sup.srcu_n_exp_nodelay.Store(k, t, 0, fn);
            yield return $"{fn}: WRITE_ONCE(srcu_n_exp_nodelay, 0)";
        }

        yield return Stmt.Call(SmpMb(t, $"{fn}: smp_mb()"));
        sup.srcu_gp_seq = rcu_seq_start(sup.srcu_gp_seq);
        yield return $"{fn}: {(ssp.BarrierStatements ? string.Empty : "smp_mb(); ")}rcu_seq_start(&srcu_gp_seq) = {sup.srcu_gp_seq} (SCAN1)";
    }

    /// <summary>srcu_gp_end(): called with srcu_gp_mutex held, which it releases.</summary>
    internal IEnumerable<Stmt> SrcuGpEnd(TaskStruct t)
    {
        const string fn = "srcu_gp_end";
        yield return Stmt.Call(Locking.Lock(k, t, sup.srcu_cb_mutex));
        yield return Stmt.Call(Locking.Lock(k, t, sup.@lock, irq: true));
        long state = rcu_seq_state(sup.srcu_gp_seq);
        Specification.Assert(state == SRCU_STATE_SCAN2, "WARNING: {0}: WARN_ON_ONCE(idx != SRCU_STATE_SCAN2): the state is {1}.", fn, StateName(sup.srcu_gp_seq));
        yield return $"{fn}: idx = rcu_seq_state(srcu_gp_seq) = {StateName(sup.srcu_gp_seq)}";
        long cbdelay;
        if (Variant.ModuleParams())
        {
            long seq = sup.srcu_gp_seq;
            long exp = sup.srcu_gp_seq_needed_exp;
            cbdelay = ULONG_CMP_LT(seq, exp) ? 0 : 1;
            yield return $"{fn}: cbdelay = ULONG_CMP_LT(srcu_gp_seq, srcu_gp_seq_needed_exp) ? 0 : 1 = {cbdelay}";
        }
        else
        {
            var d = new Ret();
            yield return Stmt.Call(SrcuGetDelay(t, fn, d));
            cbdelay = Variant.Heuristics() ? (d.value != 0 ? 1 : 0) : d.value;
            yield return $"{fn}: cbdelay = {(Variant.Heuristics() ? "!!" : string.Empty)}srcu_get_delay() = {cbdelay}";
        }

        if (P.MutantCbdelayAlways)
        {
            cbdelay = 1;
        }

        sup.srcu_gp_seq = rcu_seq_end(sup.srcu_gp_seq);
        long gpseq = sup.srcu_gp_seq;
        if (ULONG_CMP_LT(sup.srcu_gp_seq_needed_exp, gpseq))
        {
            sup.srcu_gp_seq_needed_exp = gpseq;
        }

        yield return $"{fn}: rcu_seq_end(&srcu_gp_seq) = {gpseq} (IDLE); srcu_gp_seq_needed_exp = {sup.srcu_gp_seq_needed_exp}";
        yield return Stmt.Call(Locking.Unlock(k, t, sup.@lock, irq: true));
        yield return Stmt.Call(Locking.Unlock(k, t, sup.srcu_gp_mutex));

        // srcu_schedule_cbs_sdp(per_cpu_ptr(ssp->sda, 0), cbdelay): SRCU_SIZE_SMALL keeps the callbacks on CPU 0's srcu_data.
        SrcuData sdp = ssp.sda[0];
        yield return Stmt.Call(QueueDelayedWork(t, sdp.work, cbdelay, $"{fn}: srcu_schedule_cbs_sdp(sda[0], cbdelay)"));
        yield return Stmt.Call(Locking.Unlock(k, t, sup.srcu_cb_mutex));

        // Start a new grace period if needed.
        yield return Stmt.Call(Locking.Lock(k, t, sup.@lock, irq: true));
        long cur = sup.srcu_gp_seq;
        bool start = rcu_seq_state(cur) == SRCU_STATE_IDLE && ULONG_CMP_LT(cur, sup.srcu_gp_seq_needed);
        yield return $"{fn}: gpseq = {cur}, srcu_gp_seq_needed = {sup.srcu_gp_seq_needed}: {(start ? "start a new grace period" : "none needed")}";
        if (start)
        {
            yield return Stmt.Call(SrcuGpStart(t));
            yield return Stmt.Call(Locking.Unlock(k, t, sup.@lock, irq: true));
            yield return Stmt.Call(SrcuReschedule(t, 0, fn, sup.srcu_gp_seq, k.jiffies));
        }
        else
        {
            yield return Stmt.Call(Locking.Unlock(k, t, sup.@lock, irq: true));
        }
    }

    /// <summary>
    /// srcu_flip(): smp_mb() E, WRITE_ONCE(srcu_idx, srcu_idx + 1), smp_mb() D. Only this worker
    /// writes srcu_idx, and it always runs on the same CPU, so its plain read sees its own last flip.
    /// Under SC the three are one statement.
    /// </summary>
    private IEnumerable<Stmt> SrcuFlip(TaskStruct t)
    {
        const string fn = "srcu_advance_state: srcu_flip()";
        SharedMemory mem = ssp.mem;
        yield return Stmt.Call(SmpMb(t, $"{fn}: smp_mb() /* E */"));
        int idx = mem.Read(t.cpu, ssp.srcu_idx) + 1;
        mem.WriteOnce(t.cpu, ssp.srcu_idx, idx);
        if (ssp.BarrierStatements)
        {
            yield return $"{fn}: WRITE_ONCE(srcu_idx, {idx})";
        }

        mem.SmpMb(t.cpu);
        yield return ssp.BarrierStatements ? $"{fn}: smp_mb() /* D */" : $"{fn}: smp_mb() /* E */; WRITE_ONCE(srcu_idx, {idx}); smp_mb() /* D */";
    }

    /// <summary>
    /// smp_mb() on the task's CPU: a statement of its own under TSO and LKMM; under SC it orders
    /// nothing, adds no statement, and the caller names it in the statement that follows.
    /// </summary>
    private IEnumerable<Stmt> SmpMb(TaskStruct t, string text)
    {
        ssp.mem.SmpMb(t.cpu);
        if (ssp.BarrierStatements)
        {
            yield return text;
        }
    }

    /// <summary>srcu_advance_state(): one pass of the grace-period state machine under srcu_gp_mutex.</summary>
    internal IEnumerable<Stmt> SrcuAdvanceState(TaskStruct t)
    {
        const string fn = "srcu_advance_state";
        yield return Stmt.Call(Locking.Lock(k, t, sup.srcu_gp_mutex));
        long idx = rcu_seq_state(sup.srcu_gp_seq);
        yield return $"{fn}: idx = rcu_seq_state(smp_load_acquire(&srcu_gp_seq)) = {StateName(sup.srcu_gp_seq)}";
        if (idx == SRCU_STATE_IDLE)
        {
            yield return Stmt.Call(Locking.Lock(k, t, sup.@lock, irq: true));
            if (ULONG_CMP_GE(sup.srcu_gp_seq, sup.srcu_gp_seq_needed))
            {
                yield return $"{fn}: srcu_gp_seq {sup.srcu_gp_seq} >= srcu_gp_seq_needed {sup.srcu_gp_seq_needed}: nothing to do";
                yield return Stmt.Call(Locking.Unlock(k, t, sup.@lock, irq: true));
                yield return Stmt.Call(Locking.Unlock(k, t, sup.srcu_gp_mutex));
                yield break;
            }

            idx = rcu_seq_state(sup.srcu_gp_seq);
            yield return $"{fn}: idx = rcu_seq_state(READ_ONCE(srcu_gp_seq)) = {StateName(sup.srcu_gp_seq)}";
            if (idx == SRCU_STATE_IDLE)
            {
                yield return Stmt.Call(SrcuGpStart(t));
            }

            yield return Stmt.Call(Locking.Unlock(k, t, sup.@lock, irq: true));
            if (idx != SRCU_STATE_IDLE)
            {
                yield return Stmt.Call(Locking.Unlock(k, t, sup.srcu_gp_mutex));
                yield break;
            }
        }

        var ret = new Ret();
        long s = sup.srcu_gp_seq;
        yield return $"{fn}: rcu_seq_state(READ_ONCE(srcu_gp_seq)) = {StateName(s)}";
        if (rcu_seq_state(s) == SRCU_STATE_SCAN1)
        {
            int scanIdx = 1 & (ssp.mem.Read(t.cpu, ssp.srcu_idx) ^ 1);
            yield return $"{fn}: SCAN1: idx = 1 & (ssp->srcu_idx ^ 1) = {scanIdx}";
            yield return Stmt.Call(TryCheckZero(t, scanIdx, 1, ret));
            if (ret.value == 0)
            {
                yield return Stmt.Call(Locking.Unlock(k, t, sup.srcu_gp_mutex));
                yield break;
            }

            yield return Stmt.Call(SrcuFlip(t));
            yield return Stmt.Call(Locking.Lock(k, t, sup.@lock, irq: true));
            sup.srcu_gp_seq = rcu_seq_set_state(sup.srcu_gp_seq, SRCU_STATE_SCAN2);
            if (Variant.Heuristics())
            {
                sup.srcu_n_exp_nodelay.Store(k, t, 0, fn);
            }

            yield return $"{fn}: rcu_seq_set_state(&srcu_gp_seq, SRCU_STATE_SCAN2){(Variant.Heuristics() ? "; srcu_n_exp_nodelay = 0" : string.Empty)}";
            yield return Stmt.Call(Locking.Unlock(k, t, sup.@lock, irq: true));
        }

        s = sup.srcu_gp_seq;
        yield return $"{fn}: rcu_seq_state(READ_ONCE(srcu_gp_seq)) = {StateName(s)}";
        if (rcu_seq_state(s) == SRCU_STATE_SCAN2)
        {
            int scanIdx = 1 & (ssp.mem.Read(t.cpu, ssp.srcu_idx) ^ 1);
            yield return $"{fn}: SCAN2: idx = 1 & (ssp->srcu_idx ^ 1) = {scanIdx}";
            if (!P.MutantSkipScan2)
            {
                yield return Stmt.Call(TryCheckZero(t, scanIdx, 2, ret));
                if (ret.value == 0)
                {
                    yield return Stmt.Call(Locking.Unlock(k, t, sup.srcu_gp_mutex));
                    yield break;
                }
            }

            if (Variant.Heuristics())
            {
                sup.srcu_n_exp_nodelay.Store(k, t, 0, fn);
                yield return $"{fn}: srcu_n_exp_nodelay = 0";
            }

            yield return Stmt.Call(SrcuGpEnd(t));
        }
    }

    // ---------------------------------------------------------------- the funnel path

    /// <summary>srcu_funnel_gp_start() (SRCU_SIZE_SMALL: no srcu_node levels): record the need and start the grace period if none is in progress.</summary>
    internal IEnumerable<Stmt> SrcuFunnelGpStart(TaskStruct t, long s)
    {
        const string fn = "srcu_funnel_gp_start";
        yield return Stmt.Call(Locking.Lock(k, t, sup.@lock, irq: true));
        if (ULONG_CMP_LT(sup.srcu_gp_seq_needed, s))
        {
            sup.srcu_gp_seq_needed = s;
        }

        yield return $"{fn}: smp_store_release(&srcu_gp_seq_needed, {sup.srcu_gp_seq_needed})";
        if (ULONG_CMP_LT(sup.srcu_gp_seq_needed_exp, s))
        {
            sup.srcu_gp_seq_needed_exp = s;
        }

        yield return $"{fn}: WRITE_ONCE(srcu_gp_seq_needed_exp, {sup.srcu_gp_seq_needed_exp})";
        long cur = sup.srcu_gp_seq;
        bool start = !rcu_seq_done(cur, s) && rcu_seq_state(cur) == SRCU_STATE_IDLE;
        yield return $"{fn}: srcu_gp_seq = {cur} ({StateName(cur)}): {(start ? "start the grace period" : "one is in progress or done")}";
        if (start)
        {
            yield return Stmt.Call(SrcuGpStart(t));
            var d = new Ret();
            yield return Stmt.Call(SrcuGetDelay(t, fn, d));
            long delay = Variant.Heuristics() ? (d.value != 0 ? 1 : 0) : d.value;
            yield return Stmt.Call(QueueDelayedWork(t, sup.work, delay, $"{fn}: queue_delayed_work(rcu_gp_wq, &srcu_sup->work, {(Variant.Heuristics() ? "!!" : string.Empty)}srcu_get_delay())"));
        }

        yield return Stmt.Call(Locking.Unlock(k, t, sup.@lock, irq: true));
    }

    /// <summary>
    /// srcu_gp_start_if_needed() for an expedited request (do_norm false), with the updater's own
    /// srcu_read_lock() around it: queue the callback on CPU 0's srcu_data, snapshot the sequence, and
    /// go through the funnel if this srcu_data's need is new.
    /// </summary>
    internal IEnumerable<Stmt> SrcuGpStartIfNeeded(TaskStruct t, ISrcuCallbackFn func)
    {
        const string fn = "srcu_gp_start_if_needed";
        var own = new SrcuReader();
        yield return Stmt.Call(SrcuReadSide.SrcuReadLock(k, t, ssp, own, smpMbB: !P.MutantNoReadLockMb));
        SrcuData sdp = ssp.sda[0];
        yield return Stmt.Call(Locking.Lock(k, t, sdp.@lock, irq: true));
        long s = rcu_seq_snap(sup.srcu_gp_seq);
        sdp.srcu_cblist.Add(new SrcuCallback(s, func));
        yield return $"{fn}: rcu_segcblist_enqueue(sda[0]); s = rcu_seq_snap(&srcu_gp_seq) = {s}";
        bool needgp = false;
        bool needexp = false;
        if (ULONG_CMP_LT(sdp.srcu_gp_seq_needed, s))
        {
            sdp.srcu_gp_seq_needed = s;
            needgp = true;
        }

        if (ULONG_CMP_LT(sdp.srcu_gp_seq_needed_exp, s))
        {
            sdp.srcu_gp_seq_needed_exp = s;
            needexp = true;
        }

        yield return $"{fn}: sdp->srcu_gp_seq_needed{(needgp ? $" = {s}" : " covers it")}, sdp->srcu_gp_seq_needed_exp{(needexp ? $" = {s}" : " covers it")}";
        yield return Stmt.Call(Locking.Unlock(k, t, sdp.@lock, irq: true));
        if (needgp)
        {
            yield return Stmt.Call(SrcuFunnelGpStart(t, s));
        }
        else if (needexp)
        {
            // srcu_funnel_exp_start(ssp, NULL, s): only the expedited need.
            yield return Stmt.Call(Locking.Lock(k, t, sup.@lock, irq: true));
            if (ULONG_CMP_LT(sup.srcu_gp_seq_needed_exp, s))
            {
                sup.srcu_gp_seq_needed_exp = s;
            }

            yield return $"srcu_funnel_exp_start: WRITE_ONCE(srcu_gp_seq_needed_exp, {sup.srcu_gp_seq_needed_exp})";
            yield return Stmt.Call(Locking.Unlock(k, t, sup.@lock, irq: true));
        }

        yield return Stmt.Call(SrcuReadSide.SrcuReadUnlock(k, t, ssp, own));
    }

    // ---------------------------------------------------------------- the worker

    /// <summary>srcu_reschedule(): go idle if every need is met, else (starting a grace period if none runs) queue the worker after <paramref name="delay"/>.</summary>
    internal IEnumerable<Stmt> SrcuReschedule(TaskStruct t, long delay, string caller, long decidedSeq, int decidedJiffies, int? countJiffies = null)
    {
        const string fn = "srcu_reschedule";
        bool pushgp = true;
        yield return Stmt.Call(Locking.Lock(k, t, sup.@lock, irq: true));
        if (ULONG_CMP_GE(sup.srcu_gp_seq, sup.srcu_gp_seq_needed))
        {
            bool idle = rcu_seq_state(sup.srcu_gp_seq) == SRCU_STATE_IDLE;
            Specification.Assert(idle, "WARNING: {0}: WARN_ON_ONCE(rcu_seq_state(srcu_gp_seq)) with every need met.", fn);

            // Only a grace period that is idle lets the worker go idle; the warning's case keeps pushgp.
            pushgp = !idle;
            yield return $"{fn}: srcu_gp_seq {sup.srcu_gp_seq} >= srcu_gp_seq_needed {sup.srcu_gp_seq_needed}: all requests fulfilled, go idle";
        }
        else if (rcu_seq_state(sup.srcu_gp_seq) == SRCU_STATE_IDLE)
        {
            yield return $"{fn}: outstanding request and no grace period: start one";
            yield return Stmt.Call(SrcuGpStart(t));
        }
        else
        {
            yield return $"{fn}: grace period {sup.srcu_gp_seq} ({StateName(sup.srcu_gp_seq)}) in progress";
        }

        k.Observe(new SrcuRescheduled(caller, delay, pushgp, decidedSeq, decidedJiffies, GpStartRecorded) { CountJiffies = countJiffies });
        yield return Stmt.Call(Locking.Unlock(k, t, sup.@lock, irq: true));
        if (pushgp)
        {
            yield return Stmt.Call(QueueDelayedWork(t, sup.work, delay, $"{fn}: queue_delayed_work(rcu_gp_wq, &srcu_sup->work, {delay})"));
        }
    }

    /// <summary>queue_delayed_work_on() of an SRCU work item on its CPU's pool, one step, observed.</summary>
    private IEnumerable<Stmt> QueueDelayedWork(TaskStruct t, SrcuWork work, long delay, string text)
    {
        bool queued = Workqueues.QueueDelayedWorkOn(k, work.cpu, work, (int)delay);
        k.Observe(new SrcuWorkDelayed(work.name, delay, queued, t.comm));
        yield return $"{text} = {(queued ? "true" : "false (already pending)")}";
    }

    /// <summary>process_srcu(): one pass of the state machine, then the delay before the next and its per-jiffy limit, as the variant writes them.</summary>
    internal IEnumerable<Stmt> ProcessSrcuBody(TaskStruct t)
    {
        const string fn = "process_srcu";
        yield return Stmt.Call(SrcuAdvanceState(t));
        var d = new Ret();
        yield return Stmt.Call(SrcuGetDelayLockedIfForced(t, fn, d, P.MutantGetDelayUnlocked));
        long curdelay = d.value;
        int? countJiffies = null;
        if (Variant.Heuristics())
        {
            PlainVar count = sup.reschedule_count;
            if (curdelay != 0)
            {
                count.Store(k, t, 0, fn);
                yield return $"{fn}: curdelay = {curdelay}: WRITE_ONCE(reschedule_count, 0)";
            }
            else
            {
                int j = k.jiffies;
                countJiffies = j;
                long rj = sup.reschedule_jiffies;
                yield return $"{fn}: j = jiffies = {j}; READ_ONCE(reschedule_jiffies) = {rj}";
                if (rj == j)
                {
                    if (Variant.ExclusiveWriterAsserts())
                    {
                        ExclusiveWriter.Assert(count, t, fn);
                    }

                    long v = count.Load(k, t, fn);
                    yield return $"{fn}: {(Variant.ExclusiveWriterAsserts() ? "ASSERT_EXCLUSIVE_WRITER(reschedule_count); " : string.Empty)}READ_ONCE(reschedule_count) = {v}";
                    count.Store(k, t, v + 1, fn, rmw: true);
                    yield return $"{fn}: WRITE_ONCE(reschedule_count, {v + 1})";
                    long now = count.Load(k, t, fn);
                    if (now > srcu_max_nodelay)
                    {
                        curdelay = 1;
                    }

                    yield return $"{fn}: READ_ONCE(reschedule_count) = {now} {(now > srcu_max_nodelay ? ">" : "<=")} {srcu_max_nodelay}{(now > srcu_max_nodelay ? ": curdelay = 1" : string.Empty)}";
                }
                else
                {
                    count.Store(k, t, 1, fn);
                    yield return $"{fn}: WRITE_ONCE(reschedule_count, 1)";
                    sup.reschedule_jiffies = j;
                    yield return $"{fn}: WRITE_ONCE(reschedule_jiffies, {j})";
                }
            }
        }

        yield return Stmt.Call(SrcuReschedule(t, curdelay, fn, d.seq, d.jiffies, countJiffies));
    }

    /// <summary>srcu_invoke_callbacks() for <paramref name="sdp"/>: run every callback whose grace period has ended.</summary>
    internal IEnumerable<Stmt> SrcuInvokeCallbacksBody(TaskStruct t, SrcuData sdp)
    {
        const string fn = "srcu_invoke_callbacks";
        yield return Stmt.Call(Locking.Lock(k, t, sdp.@lock, irq: true));
        long cur = sup.srcu_gp_seq;
        List<SrcuCallback> ready = sdp.srcu_cblist.Where(cb => rcu_seq_done(cur, cb.seq)).ToList();
        sdp.srcu_cblist.RemoveAll(cb => rcu_seq_done(cur, cb.seq));
        yield return $"{fn}: rcu_segcblist_advance(sda[{sdp.cpu}], {cur}); rcu_segcblist_extract_done_cbs(): {ready.Count} ready";
        yield return Stmt.Call(Locking.Unlock(k, t, sdp.@lock, irq: true));
        foreach (SrcuCallback cb in ready)
        {
            cb.func.Invoke(k);
            yield return $"{fn}: rhp->func(rhp) (grace period {cb.seq})";
        }
    }

    // ---------------------------------------------------------------- callers

    /// <summary>synchronize_srcu_expedited() -> __synchronize_srcu(ssp, false): queue wakeme_after_rcu() and wait for it.</summary>
    internal IEnumerable<Stmt> SynchronizeSrcuExpedited(TaskStruct t)
    {
        k.Observe(new SynchronizeStarted(t.comm, k.jiffies));
        var rcu = new WakeMeAfterRcu(new Completion($"{t.comm}: rcu.completion"));
        yield return "synchronize_srcu_expedited: __synchronize_srcu(ssp, false): init_completion(&rcu.completion)";
        yield return Stmt.Call(SrcuGpStartIfNeeded(t, rcu));
        yield return Stmt.Call(rcu.completion.WaitForCompletion(k, t));

        // Orders the caller's later accesses (the free of what the readers may still see) after the grace period.
        ssp.mem.SmpMb(t.cpu);
        k.Observe(new SynchronizeReturned(t.comm, k.jiffies));
        yield return "__synchronize_srcu: smp_mb(); synchronize_srcu_expedited returns";
    }

    /// <summary>cleanup_srcu_struct(): the delay check, the reader check, the flushes, the final checks; each WARN_ON() leaks the structure.</summary>
    internal IEnumerable<Stmt> CleanupSrcuStruct(TaskStruct t)
    {
        const string fn = "cleanup_srcu_struct";
        var d = new Ret();
        yield return Stmt.Call(SrcuGetDelayLockedIfForced(t, fn, d));
        if (d.value == 0)
        {
            k.Observe(new CleanupWarned("!srcu_get_delay(ssp)"));
            yield return $"{fn}: WARN_ON(!srcu_get_delay(ssp)): just leak it";
            yield break;
        }

        bool active = SrcuReadSide.SrcuReadersActive(ssp, t.cpu);
        yield return $"{fn}: srcu_readers_active() = {(active ? "true" : "false")}";
        if (active)
        {
            k.Observe(new CleanupWarned("srcu_readers_active(ssp)"));
            yield return $"{fn}: WARN_ON(srcu_readers_active(ssp)): just leak it";
            yield break;
        }

        yield return Stmt.Call(Workqueues.FlushWork(k, t, sup.work));
        foreach (SrcuData sdp in ssp.sda)
        {
            yield return Stmt.Call(Workqueues.FlushWork(k, t, sdp.work));
            int n = sdp.srcu_cblist.Count;
            yield return $"{fn}: rcu_segcblist_n_cbs(&sda[{sdp.cpu}]->srcu_cblist) = {n}";
            if (n != 0)
            {
                k.Observe(new CleanupWarned($"rcu_segcblist_n_cbs(&sda[{sdp.cpu}]->srcu_cblist)"));
                yield return $"{fn}: WARN_ON(rcu_segcblist_n_cbs()): forgot srcu_barrier(), just leak it";
                yield break;
            }
        }

        long seq = sup.srcu_gp_seq;
        bool busy = rcu_seq_state(seq) != SRCU_STATE_IDLE || seq != sup.srcu_gp_seq_needed || SrcuReadSide.SrcuReadersActive(ssp, t.cpu);
        if (busy)
        {
            k.Observe(new CleanupWarned("grace period in progress or needed, or readers active, after the flushes"));
        }

        yield return $"{fn}: srcu_gp_seq = {seq} ({StateName(seq)}), srcu_gp_seq_needed = {sup.srcu_gp_seq_needed}: {(busy ? "WARN_ON(): caller forgot to stop doing call_srcu()?" : "free_percpu(ssp->sda)")}";
    }

    /// <summary>process_srcu() as the worker's function.</summary>
    private sealed class ProcessSrcu(SrcuTree tree) : ISrcuWorkFn
    {
        public IEnumerable<Stmt> Run(KernelState k, TaskStruct worker) => tree.ProcessSrcuBody(worker);
    }

    /// <summary>srcu_invoke_callbacks() as a srcu_data's work function.</summary>
    private sealed class SrcuInvokeCallbacks(SrcuTree tree, SrcuData sdp) : ISrcuWorkFn
    {
        public IEnumerable<Stmt> Run(KernelState k, TaskStruct worker) => tree.SrcuInvokeCallbacksBody(worker, sdp);
    }

    /// <summary>struct rcu_synchronize: wakeme_after_rcu() completes it.</summary>
    private sealed class WakeMeAfterRcu(Completion completion) : ISrcuCallbackFn
    {
        internal Completion completion { get; } = completion;

        public void Invoke(KernelState k) => completion.Complete(k);
    }
}
