using Verify.Kernel.Machine;

namespace Verify.Protocols.KvmRcu;

/// <summary>The per-CPU variables the KVM variants add (DEFINE_PER_CPU in their patches).</summary>
public sealed class KvmCpu(int cpu)
{
    private readonly int cpu = cpu;

    /// <summary>Variants A/B: kvm_last_guest_exit, in jiffies; 0 means none recorded.</summary>
    public int kvm_last_guest_exit { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    /// <summary>Variant C: context_tracking.in_guest_run_loop.</summary>
    public bool in_guest_run_loop { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }
}
