using Verify.Specifications;

namespace Verify.Kernel.Work;

/// <summary>
/// queue_work_on() put a work item on CPU <c>Cpu</c>'s worklist; <c>WokeWorker</c> when that woke
/// kworker/N (a try_to_wake_up() of a task on that CPU's run queue); <c>ReschedIpi</c> when the
/// wakeup also asked the CPU to reschedule (resched_curr(): the CPU was idle, or the worker
/// preempts what runs there), which sends it the reschedule IPI (an idle CPU here never polls).
/// </summary>
public sealed class WorkQueued(int cpu, string work, bool wokeWorker, bool reschedIpi) : Monitor.Event
{
    public int Cpu { get; } = cpu;

    public string Work { get; } = work;

    public bool WokeWorker { get; } = wokeWorker;

    public bool ReschedIpi { get; } = reschedIpi;
}
