using Verify.Kernel.Machine;

namespace Verify.Kernel.Sync;

/// <summary>The condition of a wait_event(): an object, not a delegate, so the waiting code stays state the search can hash.</summary>
public interface IWaitCondition
{
    bool IsTrue(KernelState k);
}
