using Verify.Specifications;

namespace Verify.Kernel.Sched;

/// <summary>The idle task's ct_cpuidle_enter(): the CPU enters the idle extended quiescent state.</summary>
public sealed class CpuidleEnter(int cpu) : Monitor.Event
{
    public int Cpu { get; } = cpu;
}
