using Verify.Kernel.Machine;

namespace Verify.Kernel.Rcu.Tree;

/// <summary>
/// A policy point in rcu_pending(): a condition or'ed with <c>user || rcu_is_cpu_rrupt_from_idle()</c>
/// before the nohz_full early return, as the patches that keep rcuc off a CPU add one.
/// </summary>
public interface IRcuPendingHook
{
    /// <summary>The condition's name when it holds on <paramref name="c"/> now (for the trace), else null.</summary>
    string? Holds(KernelState k, CpuState c);
}
