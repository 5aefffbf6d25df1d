using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Tree;

namespace Verify.Protocols.KvmRcu;

/// <summary>The variants' addition to rcu_pending()'s nohz_full early return.</summary>
internal sealed class KvmRcuPendingHook(Variant variant, PerCpu<KvmCpu> kvm) : IRcuPendingHook
{
    private readonly Variant variant = variant;
    private readonly PerCpu<KvmCpu> kvm = kvm;

    public string? Holds(KernelState k, CpuState c)
    {
        // A/B: rcu_recent_guest_exit(): time_before(jiffies, kvm_last_guest_exit + HZ).
        if (variant.WritesLastGuestExit() && KernelState.TimeBefore(k.jiffies, kvm[c.cpu].kvm_last_guest_exit + k.HZ))
        {
            return "rcu_recent_guest_exit()";
        }

        // C: ct.in_guest_run_loop.
        if (variant.UsesRunLoopFlag() && kvm[c.cpu].in_guest_run_loop)
        {
            return "in_guest_run_loop";
        }

        return null;
    }
}
