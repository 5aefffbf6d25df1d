using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Srcu;
using Verify.Kernel.Sched;

namespace Verify.Protocols.Srcu;

/// <summary>
/// Rd: one SRCU read-side critical section (srcu_read_lock(&amp;kvm->srcu) ... srcu_read_unlock()),
/// either short (<c>holdStatements</c> statements of work) or sleeping across <c>sleepJiffies</c>
/// jiffies (an hrtimer wakes it), then it sleeps for good. With <c>memslots</c> its short section
/// is the load of what kvm->srcu protects (<see cref="Memslots.Read"/>).
/// </summary>
internal sealed class Reader(SrcuStruct ssp, string comm, int cpu, int holdStatements, int sleepJiffies, Memslots? memslots = null, bool smpMbB = true) : TaskStruct(comm, schedFifo: false, cpu)
{
    protected override IEnumerable<Stmt> Body(KernelState k)
    {
        var r = new SrcuReader();
        yield return Stmt.Call(SrcuReadSide.SrcuReadLock(k, this, ssp, r, smpMbB));
        if (memslots is not null)
        {
            yield return Stmt.Call(memslots.Read(k, this));
        }

        for (int i = 0; memslots is null && i < holdStatements; i++)
        {
            yield return "reader: critical section";
        }

        if (sleepJiffies > 0)
        {
            k.cpus[cpu].hrtimers.Add((k.jiffies + sleepJiffies, this));
            state = TaskState.Blocked;
            yield return Stmt.Call(Scheduler.Schedule(k, this, SchedMode.Voluntary, $"reader: schedule_hrtimeout({sleepJiffies} jiffies)"));
        }

        yield return Stmt.Call(SrcuReadSide.SrcuReadUnlock(k, this, ssp, r));
        while (true)
        {
            state = TaskState.Blocked;
            yield return Scheduler.Sleep(k, this, "reader done");
        }
    }
}
