using System.Runtime.CompilerServices;
using Verify.Kernel.Machine;

namespace Verify.Kernel.Lifetime;

/// <summary>When and by whom: the jiffies, the task and its CPU (negative for a housekeeping CPU, -1 the first).</summary>
public readonly record struct KStep(int jiffies, string task, int cpu)
{
    public override string ToString() => $"task {task} on {(cpu < 0 ? KernelState.HousekeepingCpuName(cpu) : $"cpu{cpu}")} at jiffies {jiffies}";
}
