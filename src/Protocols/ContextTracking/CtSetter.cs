using Verify.Kernel.ContextTracking;
using Verify.Kernel.Machine;

namespace Verify.Protocols.ContextTracking;

/// <summary>What ct_set_cpu_work() returned: true is "deferred, skip the IPI".</summary>
internal sealed class SetterResult
{
    /// <summary>The word's write count when the call began, and this call's own successful writes since.</summary>
    internal int writes_at_begin { get; set; }

    internal int own_writes { get; set; }

    internal bool ret { get; set; }

    internal int attempts { get; set; }
}

/// <summary>
/// ct_set_cpu_work(cpu, work) of each version for isolated CPU <paramref name="c"/>, run by a housekeeping CPU, each atomic access one
/// step. The loops are the postings' loops; only their statements are spelled out. The step that
/// decides "deferred" reports what the sender stored before it (<see cref="WorkDeferred"/>): the
/// version of the site, or the frame a cleared PTE mapped.
/// </summary>
internal sealed class CtSetter(CtKernel k, CtCpu c, int hk, string sender, string? site, int version, int va, int stalePfn)
{
    private int Cpu => c.cpu;

    private const int STATE_MASK = ContextTrackingState.CT_STATE_MASK;
    private const int KERNEL = ContextTrackingState.CT_STATE_KERNEL;
    private const int IDLE = ContextTrackingState.CT_STATE_IDLE;
    private const int USER = ContextTrackingState.CT_STATE_USER;
    private const int GUEST = ContextTrackingState.CT_STATE_GUEST;

    private int Me => k.MemCpu(hk);

    /// <summary>The prefix of the setter's trace lines: the CPU whose word (or RFC v1 work word) it touches.</summary>
    private string Where => $"ct_set_cpu_work({c.name})";

    internal IEnumerable<Stmt> CtSetCpuWork(int bit, SetterResult r)
    {
        r.ret = false;
        r.attempts = 0;
        r.writes_at_begin = c.word_writes;
        r.own_writes = 0;
        k.Observe(new SetterCall(sender, Cpu, begin: true, deferred: false, k.memory == Verify.Kernel.Memory.MemoryMode.Lkmm ? CtKernel.StaleStores : 0));
        IEnumerable<Stmt> body = k.variant switch
        {
            Variant.RfcV1 => RfcV1(bit, r),
            Variant.RfcV1ReviewLoop => ReviewLoop(bit, r),
            Variant.RfcV2 => RfcV2(bit, r),
            Variant.RfcV3 => RfcV3(bit, r),
            Variant.V4 => V4(bit, r),
            Variant.V5 => V5(bit, r, checkActive: false),
            Variant.V6 => V5(bit, r, checkActive: true),
            Variant.V5Intended => V5(bit, r, checkActive: false),
            Variant.V6Intended => V5(bit, r, checkActive: true),
            _ => throw new InvalidOperationException($"{k.variant} defers nothing; its senders pass cond NULL."),
        };
        yield return Stmt.Call(body);

        k.Observe(new SetterCall(sender, Cpu, begin: false, deferred: r.ret));
        yield return $"ct_set_cpu_work({c.name}, {WorkName(bit)}) returns {(r.ret ? "true: IPI deferred" : "false: IPI")}";
    }

    internal static string WorkName(int bit) => bit == CtKernel.CT_WORK_SYNC ? "CT_WORK_SYNC" : "CT_WORK_TLBI";

    private int Shift(int bit) => k.Work(bit);

    /// <summary>One atomic_try_cmpxchg(&amp;ct->state, &amp;old, new) as a step, observed.</summary>
    private bool TryCmpxchg(ref int old, int @new, int bit, SetterResult r)
    {
        r.attempts++;
        bool ok;
        if (k.p.MutantRelaxedSetterCmpxchg)
        {
            // atomic_try_cmpxchg_relaxed(): orders nothing, even when it succeeds.
            int found = k.mem.AtomicCmpxchgRelaxed(Me, c.ctState, old, @new);
            ok = found == old;
            old = found;
        }
        else
        {
            ok = k.mem.AtomicTryCmpxchg(Me, c.ctState, ref old, @new);
        }

        Attempted(r, ok, ok ? (@new & Shift(bit)) >> k.ct.CT_WORK_START : 0);
        return ok;
    }

    /// <summary>
    /// RFC v1: the work in its own atomic. state = atomic_read(&amp;ct->state); if it is
    /// CT_STATE_USER, atomic_or(work, &amp;ct->work) (here its generic fallback, a try_cmpxchg loop).
    /// Nothing stops the CPU from entering between the read and the OR.
    /// </summary>
    private IEnumerable<Stmt> RfcV1(int bit, SetterResult r)
    {
        int state = k.mem.AtomicRead(Me, c.ctState);
        yield return $"{Where}: state = atomic_read(&ct->state) = 0x{state:x}";
        if ((state & STATE_MASK) != USER)
        {
            yield break;
        }

        int old = k.mem.AtomicRead(Me, c.ctWork);
        yield return $"{Where}: atomic_or: old = atomic_read(&ct->work) = 0x{old:x}";
        while (true)
        {
            r.attempts++;
            bool ok = k.mem.AtomicTryCmpxchg(Me, c.ctWork, ref old, old | (1 << bit));
            Attempted(r, ok, ok ? 1 << bit : 0, stateWord: false);
            if (ok)
            {
                Deferred(bit, r);
                yield return $"{Where}: atomic_or({WorkName(bit)}, &ct->work): try_cmpxchg succeeds";
                yield break;
            }

            yield return $"{Where}: atomic_or({WorkName(bit)}, &ct->work): try_cmpxchg fails (0x{old:x})";
        }
    }

    /// <summary>The review's sketch: for(;;) { old = (state &amp; ~CONTEXT_MASK) | CONTEXT_USER; new = old | work; state = atomic_cmpxchg(); ... }.</summary>
    private IEnumerable<Stmt> ReviewLoop(int bit, SetterResult r)
    {
        int work = Shift(bit);
        int state = k.mem.AtomicRead(Me, c.ctState);
        yield return $"{Where}: state = atomic_read(&ct->state) = 0x{state:x}";
        while (true)
        {
            int old = (state & ~STATE_MASK) | USER;
            int @new = old | work;
            r.attempts++;
            state = k.mem.AtomicCmpxchg(Me, c.ctState, old, @new);
            bool ok = state == old;
            Attempted(r, ok, ok ? (@new & work) >> k.ct.CT_WORK_START : 0);
            if ((state & work) != 0)
            {
                Deferred(bit, r);
            }

            yield return $"{Where}: state = atomic_cmpxchg(&ct->state, 0x{old:x}, 0x{@new:x}) = 0x{state:x}";
            if (r.ret)
            {
                yield break;
            }

            if ((state & STATE_MASK) != USER)
            {
                yield break;
            }
        }
    }

    /// <summary>RFC v2: old = atomic_read(); while ((old &amp; (GUEST|USER|IDLE)) &amp;&amp; !ret) ret = atomic_try_cmpxchg(&amp;ct->state, &amp;old, old | work).</summary>
    private IEnumerable<Stmt> RfcV2(int bit, SetterResult r)
    {
        int old = k.mem.AtomicRead(Me, c.ctState);
        yield return $"{Where}: old = atomic_read(&ct->state) = 0x{old:x}";
        while ((old & (GUEST | USER | IDLE)) != 0 && !r.ret)
        {
            int expected = old;
            if (TryCmpxchg(ref old, old | Shift(bit), bit, r))
            {
                Deferred(bit, r);
            }

            yield return Attempt(expected, bit, r.ret, old);
        }
    }

    /// <summary>RFC v3: old = atomic_read(); do ret = atomic_try_cmpxchg(...) while (!ret &amp;&amp; (old &amp; CT_STATE_MASK) != CT_STATE_KERNEL).</summary>
    private IEnumerable<Stmt> RfcV3(int bit, SetterResult r)
    {
        int old = k.mem.AtomicRead(Me, c.ctState);
        yield return $"{Where}: old = atomic_read(&ct->state) = 0x{old:x}";
        do
        {
            int expected = old;
            if (TryCmpxchg(ref old, old | Shift(bit), bit, r))
            {
                Deferred(bit, r);
            }

            yield return Attempt(expected, bit, r.ret, old);
        }
        while (!r.ret && (old & STATE_MASK) != KERNEL);
    }

    /// <summary>v4: old = atomic_read(); if (!(old &amp; (USER|GUEST))) { old &amp;= ~CT_STATE_MASK; old |= CT_STATE_USER; } do ... while (!ret &amp;&amp; (old &amp; CT_STATE_MASK) == CT_STATE_USER).</summary>
    private IEnumerable<Stmt> V4(int bit, SetterResult r)
    {
        int old = k.mem.AtomicRead(Me, c.ctState);
        yield return $"{Where}: old = atomic_read(&ct->state) = 0x{old:x}";
        if ((old & (USER | GUEST)) == 0)
        {
            old &= ~STATE_MASK;
            old |= USER;
        }

        do
        {
            int expected = old;
            if (TryCmpxchg(ref old, old | Shift(bit), bit, r))
            {
                Deferred(bit, r);
            }

            yield return Attempt(expected, bit, r.ret, old);
        }
        while (!r.ret && (old & STATE_MASK) == USER);
    }

    /// <summary>
    /// v5 (and v6, behind if (!ct->active) return false): old = atomic_read(); old |=
    /// CT_RCU_WATCHING; do ret = atomic_try_cmpxchg(...) while (!ret &amp;&amp; !(old &amp; CT_RCU_WATCHING)).
    /// </summary>
    private IEnumerable<Stmt> V5(int bit, SetterResult r, bool checkActive)
    {
        // ct->active of a nohz_full CPU is set at boot and never changes in these runs.
        int old = k.mem.AtomicRead(Me, c.ctState);
        yield return checkActive
            ? $"{Where}: ct->active; old = atomic_read(&ct->state) = 0x{old:x}"
            : $"{Where}: old = atomic_read(&ct->state) = 0x{old:x}";
        if (k.p.FixExpectNotWatching || k.variant.ExpectsNotWatching())
        {
            old &= ~k.ct.CT_RCU_WATCHING;
        }
        else
        {
            old |= k.ct.CT_RCU_WATCHING;
        }

        do
        {
            int expected = old;
            if (TryCmpxchg(ref old, old | Shift(bit), bit, r))
            {
                Deferred(bit, r);
            }

            yield return Attempt(expected, bit, r.ret, old);
        }
        while (!r.ret && (old & k.ct.CT_RCU_WATCHING) == 0);
    }

    /// <summary>Reports an attempt with the writes others made since the call began; a success on ct->state is a write of it.</summary>
    private void Attempted(SetterResult r, bool ok, int bits, bool stateWord = true)
    {
        k.Observe(new SetterAttempt(sender, Cpu, ok, bits, c.word_writes - r.writes_at_begin - r.own_writes));
        if (ok && stateWord)
        {
            c.word_writes++;
            r.own_writes++;
        }
    }

    /// <summary>ret = true, decided in this step.</summary>
    private void Deferred(int bit, SetterResult r)
    {
        r.ret = true;
        k.Observe(new WorkDeferred(sender, Cpu, bit, site, version, va, stalePfn));
    }

    private string Attempt(int expected, int bit, bool ok, int found) => ok
        ? $"{Where}: atomic_try_cmpxchg(&ct->state, 0x{expected:x}, 0x{expected | Shift(bit):x}) succeeds"
        : $"{Where}: atomic_try_cmpxchg(&ct->state, 0x{expected:x}, 0x{expected | Shift(bit):x}) fails, old = 0x{found:x}";
}
