using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Time;
using Verify.Specifications;
using Verify.Specs.Rcu;

namespace Verify.Protocols.Shared;

/// <summary>
/// Feeds the kernel's RCU observations to the cross-protocol RCU monitors of src/Specs
/// (<see cref="GracePeriodGuarantee"/>, <see cref="GracePeriodCompletion"/>), in their own terms;
/// a monitor that is not registered ignores them.
/// </summary>
public sealed class RcuSpecObserver : IKernelObserver
{
    public static RcuSpecObserver Instance { get; } = new();

    public void Observe(Monitor.Event e)
    {
        Monitor.Event? spec = e switch
        {
            RcuReadLock l => new ReaderBegin(l.Reader, l.Cpu),
            RcuReadUnlock u => new ReaderEnd(u.Reader),
            RcuGpInit s => new GracePeriodStart(s.GpSeq, s.Jiffies),
            RcuGpCleanup c => new GracePeriodEnd(c.GpSeq, c.Jiffies),
            CallRcu q => new CallbackQueued(q.Callback),
            RcuDoBatch b => new CallbackInvoked(b.Callback, b.Jiffies),
            DoTimer j => new JiffiesAdvanced(j.Jiffies),
            _ => null,
        };

        if (spec is not null)
        {
            Specification.Monitor<GracePeriodGuarantee>(spec);
            Specification.Monitor<GracePeriodCompletion>(spec);
        }
    }
}
