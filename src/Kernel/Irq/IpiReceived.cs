using Verify.Specifications;

namespace Verify.Kernel.Irq;

/// <summary>
/// CPU <c>Cpu</c>, in its call-function IPI handler, runs a call of type <c>Func</c> sent from
/// <c>Src</c> (-1: the housekeeping CPU) (trace_csd_function_entry); <c>User</c> when the
/// interrupt arrived in user mode. Counting these per type counts the IPIs the CPU received.
/// </summary>
public sealed class IpiReceived(int cpu, int src, string func, int jiffies, bool user) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public int Src { get; } = src;

    public string Func { get; } = func;

    public int Jiffies { get; } = jiffies;

    public bool User { get; } = user;
}
