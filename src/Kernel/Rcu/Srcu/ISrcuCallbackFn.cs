using Verify.Kernel.Machine;

namespace Verify.Kernel.Rcu.Srcu;

/// <summary>A callback's function (wakeme_after_rcu(), say), run by srcu_invoke_callbacks() in the worker's step.</summary>
public interface ISrcuCallbackFn
{
    void Invoke(KernelState k);
}
