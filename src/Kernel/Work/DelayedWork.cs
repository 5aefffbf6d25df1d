using Verify.Kernel.Machine;
using Verify.Kernel.Time;

namespace Verify.Kernel.Work;

/// <summary>struct delayed_work: a work item and the timer that queues it on a CPU when it expires.</summary>
public abstract class DelayedWork(string name) : WorkStruct(name)
{
    internal DelayedWorkTimer timer { get; } = new();

    /// <summary>delayed_work_timer_fn(): queue the work on the CPU chosen when it was armed.</summary>
    internal sealed class DelayedWorkTimer : TimerList
    {
        public DelayedWork? work { get; set; }

        public int cpu { get; set; }

        protected internal override void Fire(KernelState k) => Workqueues.Enqueue(k, cpu, work!);
    }
}
