using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Srcu;
using Verify.Kernel.Sched;

namespace Verify.Protocols.Srcu;

/// <summary>
/// U (and U2): <c>gps</c> back-to-back synchronize_srcu_expedited() calls, as kvm_swap_active_memslots()
/// makes them while qemu boots, then cleanup_srcu_struct() if the scenario says so; then it sleeps for
/// good. U2 (<c>waitForScan2</c>) first waits for U's first grace period to reach SCAN2. With
/// <c>memslots</c>, U publishes the new set before its first call and frees the old one after it.
/// </summary>
internal sealed class Updater(SrcuTree tree, string comm, int cpu, int gps, bool cleanup, bool waitForScan2 = false, Memslots? memslots = null) : TaskStruct(comm, schedFifo: false, cpu)
{
    protected override IEnumerable<Stmt> Body(KernelState k)
    {
        if (waitForScan2)
        {
            // U2 arrives while the worker runs U's first grace period: it polls the sequence until that
            // grace period has reached SCAN2, then calls, so its funnel path meets the end of it.
            long seq;
            while ((seq = tree.ssp.srcu_sup.srcu_gp_seq) < RcuSeq.SRCU_STATE_SCAN2)
            {
                yield return $"{comm}: READ_ONCE(srcu_gp_seq) = {seq}: not yet SCAN2";
            }

            yield return $"{comm}: READ_ONCE(srcu_gp_seq) = {seq}: the worker is past SCAN1";
        }

        for (int i = 0; i < gps; i++)
        {
            if (i == 0 && memslots is not null)
            {
                yield return Stmt.Call(memslots.Publish(this));
            }

            yield return Stmt.Call(tree.SynchronizeSrcuExpedited(this));
            if (i == 0 && memslots is not null)
            {
                yield return Stmt.Call(memslots.FreeOld(k, this));
            }
        }

        if (cleanup)
        {
            yield return Stmt.Call(tree.CleanupSrcuStruct(this));
        }

        while (true)
        {
            state = TaskState.Blocked;
            yield return Scheduler.Sleep(k, this, $"{comm} done");
        }
    }
}
