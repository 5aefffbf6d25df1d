namespace Verify.Kernel.Lifetime;

/// <summary>A task began waiting for a grace period in synchronize_rcu() (a wait_rcu_gp() whose cost a statistic counts).</summary>
public sealed class GpWaitBegan(string task, int cpu) : Verify.Specifications.Monitor.Event
{
    public string Task { get; } = task;

    public int Cpu { get; } = cpu;
}
