using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Rcu.Srcu;

/// <summary>
/// The SRCU read side (the classic, pre-"lite" counters): srcu_read_lock() reads srcu_idx and
/// increments this CPU's lock counter of that rank; srcu_read_unlock() increments the unlock counter
/// of the same rank. Readers may sleep in between. The update side's scan
/// (srcu_readers_active_idx_check()) sums the unlock counters, then the lock counters, one CPU per step.
/// </summary>
public static class SrcuReadSide
{
    /// <summary>srcu_read_lock(): two steps, the srcu_idx load and this_cpu_inc() with its smp_mb().</summary>
    public static IEnumerable<Stmt> SrcuReadLock(KernelState k, TaskStruct t, SrcuStruct ssp, SrcuReader r)
    {
        int idx = (int)(ssp.srcu_idx & 1);
        yield return $"srcu_read_lock({ssp.name}): idx = READ_ONCE(ssp->srcu_idx) & 0x1 = {idx}";

        // this_cpu_inc() is one instruction on the CPU the task runs on now.
        int cpu = t.cpu;
        ssp.sda[cpu].srcu_lock_count[idx]++;
        r.idx = idx;
        r.cpu = cpu;
        r.id = ssp.next_reader++;
        k.Observe(new SrcuReadLocked(ssp.name, r.id, idx, cpu, t.comm));
        yield return $"srcu_read_lock({ssp.name}): this_cpu_inc(sda[{cpu}]->srcu_lock_count[{idx}]); smp_mb()";
    }

    /// <summary>srcu_read_unlock(): smp_mb() and this_cpu_inc() of the unlock counter of the reader's rank, one step.</summary>
    public static IEnumerable<Stmt> SrcuReadUnlock(KernelState k, TaskStruct t, SrcuStruct ssp, SrcuReader r)
    {
        int cpu = t.cpu;
        ssp.sda[cpu].srcu_unlock_count[r.idx]++;
        k.Observe(new SrcuReadUnlocked(ssp.name, r.id));
        yield return $"srcu_read_unlock({ssp.name}, {r.idx}): smp_mb(); this_cpu_inc(sda[{cpu}]->srcu_unlock_count[{r.idx}])";
    }

    /// <summary>
    /// srcu_readers_active_idx_check(): the unlock counters of rank <paramref name="idx"/> summed over
    /// the CPUs, smp_mb() (A), then the lock counters; no reader of that rank is left when the sums are
    /// equal. One CPU's counter per step; the answer goes to <paramref name="result"/>.
    /// </summary>
    public static IEnumerable<Stmt> SrcuReadersActiveIdxCheck(SrcuStruct ssp, int idx, SrcuScanResult result)
    {
        long unlocks = 0;
        foreach (SrcuData sdp in ssp.sda)
        {
            unlocks += sdp.srcu_unlock_count[idx];
            yield return $"srcu_readers_unlock_idx({idx}): sda[{sdp.cpu}]->srcu_unlock_count[{idx}] (sum {unlocks})";
        }

        long locks = 0;
        for (int i = 0; i < ssp.sda.Length; i++)
        {
            SrcuData sdp = ssp.sda[i];
            locks += sdp.srcu_lock_count[idx];
            bool last = i == ssp.sda.Length - 1;
            result.zero = locks == unlocks;
            yield return last
                ? $"srcu_readers_lock_idx({idx}): sda[{sdp.cpu}]->srcu_lock_count[{idx}] (sum {locks}): {(locks == unlocks ? "no readers" : $"{locks - unlocks} reader(s)")} on rank {idx}"
                : $"{(i == 0 ? "smp_mb() /* A */; " : string.Empty)}srcu_readers_lock_idx({idx}): sda[{sdp.cpu}]->srcu_lock_count[{idx}] (sum {locks})";
        }
    }

    /// <summary>srcu_readers_active(): some reader of either rank (lock and unlock sums differ), in one step (cleanup's check).</summary>
    public static bool SrcuReadersActive(SrcuStruct ssp)
    {
        long sum = 0;
        foreach (SrcuData sdp in ssp.sda)
        {
            sum += sdp.srcu_lock_count[0] + sdp.srcu_lock_count[1] - sdp.srcu_unlock_count[0] - sdp.srcu_unlock_count[1];
        }

        return sum != 0;
    }
}

/// <summary>The answer of a reader scan.</summary>
public sealed class SrcuScanResult
{
    public bool zero { get; set; }
}
