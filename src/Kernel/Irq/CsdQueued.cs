using Verify.Specifications;

namespace Verify.Kernel.Irq;

/// <summary>A call of type <c>Func</c> from <c>Src</c> (-1: the housekeeping CPU) was queued on CPU <c>Cpu</c> (trace_csd_queue_cpu).</summary>
public sealed class CsdQueued(int src, int cpu, string func, int jiffies) : Monitor.Event
{
    public int Src { get; } = src;

    public int Cpu { get; } = cpu;

    public string Func { get; } = func;

    public int Jiffies { get; } = jiffies;
}
