using Verify.Specifications;

namespace Verify.Kernel.Machine;

/// <summary>
/// Receives what the kernel model observes (a grace period starts, rcuc is woken, a context switch)
/// and hands it to the monitors of the protocol that registered it. Observers are stateless: the
/// state a property needs lives in its monitor.
/// </summary>
public interface IKernelObserver
{
    void Observe(Monitor.Event e);
}
