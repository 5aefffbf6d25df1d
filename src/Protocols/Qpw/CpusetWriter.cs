using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sched;
using Verify.Kernel.Work;

namespace Verify.Protocols.Qpw;

/// <summary>
/// A cpuset writer on the housekeeping CPU making CPU 0 an isolated partition: it updates the
/// housekeeping mask and, in the kernels with housekeeping_update() (whose drain_all_stock() reads
/// the mask under RCU), waits for a grace period whatever the caller (the mask's old copy is freed
/// after it) and, for memcg, flushes the stock work queued on the newly isolated CPU. The kernel
/// flushes the whole memcg workqueue (flush_workqueue(memcg_wq)); here that is W[0] alone, the only
/// stock work a drain can have queued on another CPU (the drainer on CPU 1 drains its own stock in
/// place). When it returns, the isolation is in force.
/// </summary>
internal sealed class CpusetWriter(QpwKernel q, int target) : TaskStruct("cpuset_writer", schedFifo: false, cpu: -1)
{
    protected override IEnumerable<Stmt> Body(KernelState k)
    {
        q.Isolation.Isolate(target);
        yield return $"cpuset_write_resmask: isolated partition: housekeeping_update(): cpu{target} leaves HK_TYPE_DOMAIN";
        if (q.Variant.MemcgRcuGuard())
        {
            k.Observe(new WriterWaitStarted(comm));
            yield return Stmt.Call(SynchronizeRcuCaller.SynchronizeRcu(k, this));
            if (q.Caller == Caller.Memcg)
            {
                yield return Stmt.Call(Workqueues.FlushWork(k, this, q.work[target]));
            }

            k.Observe(new WriterWaitReturned(comm));
        }

        k.Observe(new IsolationInForce(target));
        yield return $"cpuset_write_resmask returns: cpu{target} is isolated";
    }
}
