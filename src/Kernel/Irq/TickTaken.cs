using Verify.Specifications;

namespace Verify.Kernel.Irq;

/// <summary>A CPU took the scheduling-clock interrupt, from user mode or from the kernel.</summary>
public sealed class TickTaken(int cpu, int jiffies, bool user) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public int Jiffies { get; } = jiffies;

    public bool User { get; } = user;
}
