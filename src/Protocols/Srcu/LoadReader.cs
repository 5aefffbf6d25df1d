using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Srcu;
using Verify.Kernel.Sched;

namespace Verify.Protocols.Srcu;

/// <summary>
/// The reader load of a statistics row: each tick wakes the reader, which with probability one in
/// <c>OneIn</c> holds kvm->srcu for a uniformly random time below twice <c>MeanHoldUs</c>.
/// </summary>
public sealed record ReaderLoad(int MeanHoldUs, int OneIn);

/// <summary>
/// A vCPU thread as the statistics model it: woken by every tick (an hrtimer), it may enter its SRCU
/// read-side critical section, work for a random number of statements (the hold time at the cost
/// model's rate) and leave it, then it sleeps to the next tick; once the updater is done it stops.
/// </summary>
internal sealed class LoadReader(SrcuStruct ssp, ReaderLoad load) : TaskStruct("vcpu", schedFifo: false, 2)
{
    /// <summary>Statements per microsecond at the cost model's rate, set by the statistics before boot.</summary>
    internal double StatementsPerUs { get; set; } = 1;

    /// <summary>The statistics: the reader stops once the updater's last grace period has returned.</summary>
    internal SrcuStatistics? Stats { get; set; }

    protected override IEnumerable<Stmt> Body(KernelState k)
    {
        int maxHold = Math.Max(1, (int)(2 * load.MeanHoldUs * StatementsPerUs));
        while (Stats is null || !Stats.Done)
        {
            if (k.RandomInteger(load.OneIn) == 0)
            {
                var r = new SrcuReader();
                yield return Stmt.Call(SrcuReadSide.SrcuReadLock(k, this, ssp, r));
                int hold = k.RandomInteger(maxHold);
                for (int i = 0; i < hold; i++)
                {
                    yield return "vcpu: in the critical section";
                }

                yield return Stmt.Call(SrcuReadSide.SrcuReadUnlock(k, this, ssp, r));
            }

            k.cpus[cpu].hrtimers.Add((k.jiffies + 1, this));
            state = TaskState.Blocked;
            yield return Stmt.Call(Scheduler.Schedule(k, this, SchedMode.Voluntary, "vcpu: schedule_hrtimeout(1 jiffy)"));
        }

        while (true)
        {
            state = TaskState.Blocked;
            yield return Scheduler.Sleep(k, this, "vcpu done");
        }
    }
}
