using Verify.Specifications;

namespace Verify.Protocols.KvmRcu.Monitors;

/// <summary>A vCPU entered guest mode on a CPU (guest_state_enter_irqoff).</summary>
public sealed class GuestEnter(int cpu, int jiffies) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public int Jiffies { get; } = jiffies;
}
