using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Time;

/// <summary>
/// schedule_timeout()'s timer (process_timeout()): it wakes the housekeeping kthread sleeping on it,
/// for a wait that an event may also end, which then deletes the timer (the grace-period kthread's
/// FQS wait). A kthread's plain sleep of N jiffies (<see cref="TaskStruct"/>'s ScheduleTimeout) is
/// on <see cref="KernelState.sleepers"/> instead; a task on a modelled CPU sleeps on an hrtimer
/// (<see cref="CpuState.hrtimers"/>).
/// </summary>
public sealed class ProcessTimer(TaskStruct task) : TimerList
{
    private readonly TaskStruct task = task.cpu < 0
        ? task
        : throw new ArgumentException($"{task.comm} runs on cpu{task.cpu}: a timer_list fires in the housekeeping CPU's tick and wakes housekeeping kthreads only; a modelled CPU's task sleeps on an hrtimer.", nameof(task));

    protected internal override void Fire(KernelState k) => k.WakeHousekeeping(task);
}
