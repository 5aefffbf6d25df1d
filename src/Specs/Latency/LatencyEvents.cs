using Verify.Specifications;

namespace Verify.Specs.Latency;

/// <summary>invoke_rcu_core() woke rcuc/N on a nohz_full CPU: the SCHED_FIFO kthread will preempt whatever runs there.</summary>
public sealed class RcucWakeup(int cpu, int jiffies) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public int Jiffies { get; } = jiffies;
}

/// <summary>rcu_pending() returned 0 on a nohz_full CPU because of a KVM heuristic (not because the CPU was in user mode or idle).</summary>
public sealed class RcuCoreSuppressed(int cpu, int jiffies, string heuristic) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public int Jiffies { get; } = jiffies;

    public string Heuristic { get; } = heuristic;
}

/// <summary>A vCPU entered guest mode on a CPU (guest_state_enter_irqoff).</summary>
public sealed class GuestEnter(int cpu, int jiffies) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public int Jiffies { get; } = jiffies;
}

/// <summary>context_switch() on a CPU: to the idle task, or from it to another task.</summary>
public sealed class ContextSwitch(int cpu, int jiffies, string prev, string next, bool toIdle) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public int Jiffies { get; } = jiffies;

    public string Prev { get; } = prev;

    public string Next { get; } = next;

    public bool ToIdle { get; } = toIdle;
}

/// <summary>The idle task's ct_cpuidle_enter(): the CPU enters the idle extended quiescent state.</summary>
public sealed class CpuidleEnter(int cpu) : Monitor.Event
{
    public int Cpu { get; } = cpu;
}
