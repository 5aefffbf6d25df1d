using Verify.Specifications;

namespace Verify.Kernel.Sched;

/// <summary>context_switch() on a CPU, with the function that called schedule() (e.g. schedule_idle, do_task_dead).</summary>
public sealed class ContextSwitch(int cpu, int jiffies, string prev, string next, bool toIdle, string caller) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public int Jiffies { get; } = jiffies;

    public string Prev { get; } = prev;

    public string Next { get; } = next;

    public bool ToIdle { get; } = toIdle;

    public string Caller { get; } = caller;
}
