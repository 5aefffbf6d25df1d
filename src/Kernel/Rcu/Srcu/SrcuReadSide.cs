using Verify.Kernel.Machine;
using Verify.Kernel.Memory;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Rcu.Srcu;

/// <summary>
/// The SRCU read side (the classic, pre-"lite" counters): srcu_read_lock() reads srcu_idx and
/// increments this CPU's lock counter of that rank, then smp_mb() B; srcu_read_unlock() does smp_mb()
/// C, then increments the unlock counter of the same rank. Readers may sleep in between. The update
/// side's scan (srcu_readers_active_idx_check()) sums the unlock counters, smp_mb() A, then the lock
/// counters, one CPU per step. Every counter and srcu_idx is a word of the machine's memory; under SC
/// a barrier shares the statement of the access next to it, under TSO and LKMM it is its own
/// (<see cref="SrcuStruct.BarrierStatements"/>).
/// </summary>
public static class SrcuReadSide
{
    /// <summary>
    /// srcu_read_lock(): the srcu_idx load, this_cpu_inc() of the lock counter, smp_mb() B (its own
    /// statement under TSO and LKMM). The section begins (the monitors see the reader) once B has
    /// run: only then are its accesses ordered after the increment. A broken kernel without B
    /// (<paramref name="smpMbB"/> false) begins it at the increment.
    /// </summary>
    public static IEnumerable<Stmt> SrcuReadLock(KernelState k, TaskStruct t, SrcuStruct ssp, SrcuReader r, bool smpMbB = true)
    {
        SharedMemory mem = ssp.mem;
        int cpu = t.cpu;
        int idx = mem.ReadOnce(cpu, ssp.srcu_idx) & 0x1;
        yield return $"srcu_read_lock({ssp.name}): idx = READ_ONCE(ssp->srcu_idx) & 0x1 = {idx}";

        // this_cpu_inc() is one instruction on the CPU the task runs on now.
        cpu = t.cpu;
        int count = ThisCpuInc(mem, cpu, ssp.sda[cpu].srcu_lock_count[idx]);
        r.idx = idx;
        r.cpu = cpu;
        string inc = $"srcu_read_lock({ssp.name}): this_cpu_inc(sda[{cpu}]->srcu_lock_count[{idx}]) = {count}";
        if (smpMbB && ssp.BarrierStatements)
        {
            yield return inc;
            mem.SmpMb(cpu);
            Locked(k, t, ssp, r);
            yield return $"srcu_read_lock({ssp.name}): smp_mb() /* B */";
            yield break;
        }

        if (smpMbB)
        {
            mem.SmpMb(cpu);
        }

        Locked(k, t, ssp, r);
        yield return smpMbB ? $"{inc}; smp_mb() /* B */" : inc;
    }

    /// <summary>srcu_read_unlock(): smp_mb() C (its own statement under TSO and LKMM) and this_cpu_inc() of the unlock counter of the reader's rank.</summary>
    public static IEnumerable<Stmt> SrcuReadUnlock(KernelState k, TaskStruct t, SrcuStruct ssp, SrcuReader r)
    {
        SharedMemory mem = ssp.mem;
        int cpu = t.cpu;
        mem.SmpMb(cpu);
        if (ssp.BarrierStatements)
        {
            yield return $"srcu_read_unlock({ssp.name}, {r.idx}): smp_mb() /* C */";
            cpu = t.cpu;
        }

        int count = ThisCpuInc(mem, cpu, ssp.sda[cpu].srcu_unlock_count[r.idx]);
        k.Observe(new SrcuReadUnlocked(ssp.name, r.id));
        string inc = $"this_cpu_inc(sda[{cpu}]->srcu_unlock_count[{r.idx}]) = {count}";
        yield return ssp.BarrierStatements ? $"srcu_read_unlock({ssp.name}, {r.idx}): {inc}" : $"srcu_read_unlock({ssp.name}, {r.idx}): smp_mb() /* C */; {inc}";
    }

    /// <summary>
    /// srcu_readers_active_idx_check() on <paramref name="cpu"/>: the unlock counters of rank
    /// <paramref name="idx"/> summed over the CPUs, smp_mb() A (its own statement under TSO and LKMM),
    /// then the lock counters; no reader of that rank is left when the sums are equal. One CPU's
    /// counter per step (READ_ONCE()); the answer goes to <paramref name="result"/>.
    /// </summary>
    public static IEnumerable<Stmt> SrcuReadersActiveIdxCheck(SrcuStruct ssp, int cpu, int idx, SrcuScanResult result)
    {
        SharedMemory mem = ssp.mem;
        long unlocks = 0;
        foreach (SrcuData sdp in ssp.sda)
        {
            unlocks += mem.ReadOnce(cpu, sdp.srcu_unlock_count[idx]);
            yield return $"srcu_readers_unlock_idx({idx}): READ_ONCE(sda[{sdp.cpu}]->srcu_unlock_count[{idx}]) (sum {unlocks})";
        }

        mem.SmpMb(cpu);
        if (ssp.BarrierStatements)
        {
            yield return $"srcu_readers_active_idx_check({idx}): smp_mb() /* A */";
        }

        long locks = 0;
        for (int i = 0; i < ssp.sda.Length; i++)
        {
            SrcuData sdp = ssp.sda[i];
            locks += mem.ReadOnce(cpu, sdp.srcu_lock_count[idx]);
            bool last = i == ssp.sda.Length - 1;
            result.zero = locks == unlocks;
            string read = $"srcu_readers_lock_idx({idx}): READ_ONCE(sda[{sdp.cpu}]->srcu_lock_count[{idx}]) (sum {locks})";
            string mb = i == 0 && !ssp.BarrierStatements ? "smp_mb() /* A */; " : string.Empty;
            yield return last
                ? $"{mb}{read}: {(locks == unlocks ? "no readers" : $"{locks - unlocks} reader(s)")} on rank {idx}"
                : $"{mb}{read}";
        }
    }

    /// <summary>srcu_readers_active() on <paramref name="cpu"/>: some reader of either rank (lock and unlock sums differ), in one step (cleanup's check).</summary>
    public static bool SrcuReadersActive(SrcuStruct ssp, int cpu)
    {
        SharedMemory mem = ssp.mem;
        long sum = 0;
        foreach (SrcuData sdp in ssp.sda)
        {
            sum += mem.ReadOnce(cpu, sdp.srcu_lock_count[0]) + mem.ReadOnce(cpu, sdp.srcu_lock_count[1])
                - mem.ReadOnce(cpu, sdp.srcu_unlock_count[0]) - mem.ReadOnce(cpu, sdp.srcu_unlock_count[1]);
        }

        return sum != 0;
    }

    /// <summary>
    /// this_cpu_inc(): one unlocked instruction (incq %gs:...) on the running CPU, so under TSO its
    /// store waits in the store buffer like any other. Only that CPU writes the counter, so the load
    /// sees its own last increment in every mode. Returns the new value.
    /// </summary>
    private static int ThisCpuInc(SharedMemory mem, int cpu, Location counter)
    {
        int v = mem.ReadOnce(cpu, counter) + 1;
        mem.WriteOnce(cpu, counter, v);
        return v;
    }

    private static void Locked(KernelState k, TaskStruct t, SrcuStruct ssp, SrcuReader r)
    {
        r.id = ssp.next_reader++;
        k.Observe(new SrcuReadLocked(ssp.name, r.id, r.idx, r.cpu, t.comm));
    }
}
