using Verify.Specifications;

namespace Verify.Kernel.Work;

/// <summary>queue_work_on() put a work item on CPU <c>Cpu</c>'s worklist; <c>WokeWorker</c> when that woke kworker/N (a wakeup, and an IPI if the CPU was idle).</summary>
public sealed class WorkQueued(int cpu, string work, bool wokeWorker) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public string Work { get; } = work;

    public bool WokeWorker { get; } = wokeWorker;
}
