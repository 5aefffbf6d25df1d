using Verify.Actors;
using Verify.Kernel.ContextTracking;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Time;

/// <summary>
/// A housekeeping CPU: it runs its kthreads (the RCU grace-period kthread, synchronize_rcu()
/// callers) one statement per step, the first runnable one in priority order (a non-preemptible
/// kernel: a kthread keeps the CPU until it sleeps, unless a higher-priority one is woken). The
/// first housekeeping CPU keeps time: when all of its kthreads sleep, one jiffy passes (do_timer)
/// and the local timer interrupt is raised on the modelled CPUs whose tick runs. Its work thus
/// finishes within a jiffy, while the modelled CPUs, and the kthreads of the other housekeeping
/// CPUs, interleave with it freely. After <see cref="KernelConfig.MaxTicks"/> jiffies time stops,
/// which bounds every run; a housekeeping CPU with nothing to run sleeps until one of its
/// kthreads is woken.
/// </summary>
internal sealed class HousekeepingCpu : StateMachine
{
    private KernelState k = null!;
    private int index;
    private int ticksLeft;

    internal sealed class Setup(KernelState kernel, int index) : Event
    {
        internal KernelState Kernel { get; } = kernel;

        /// <summary>Which housekeeping CPU: 0 keeps time.</summary>
        internal int Index { get; } = index;
    }

    internal sealed class Wake : Event
    {
        internal static readonly Wake Instance = new();
    }

    [Start]
    [OnEntry(nameof(OnSetup))]
    private sealed class Booting : State
    {
    }

    [OnEventDoAction(typeof(DefaultEvent), nameof(Step))]
    [IgnoreEvents(typeof(Wake))]
    private sealed class Running : State
    {
    }

    [OnEventGotoState(typeof(Wake), typeof(Running), nameof(OnWake))]
    private sealed class Idle : State
    {
    }

    private void OnSetup(Event e)
    {
        var s = (Setup)e;
        k = s.Kernel;
        index = s.Index;
        ticksLeft = index == 0 ? k.config.MaxTicks : 0;
        RaiseGotoStateEvent<Running>();
    }

    private void OnWake()
    {
        Access.BeginHousekeepingStep(Cpu);
        k.hk_idle[index] = false;
        Access.EndHousekeepingStep();
    }

    private void Step()
    {
        Access.BeginHousekeepingStep(Cpu);
        try
        {
            RunKthreadsOrTick();
        }
        finally
        {
            Access.EndHousekeepingStep();
        }
    }

    private void RunKthreadsOrTick()
    {
        for (int i = 0; i < k.housekeeping.Count; i++)
        {
            TaskStruct t = k.housekeeping[i];
            if (t.state != TaskState.Running || t.cpu != Cpu)
            {
                continue;
            }

            if (t.frames.Count == 0)
            {
                // A kthread that never ran starts at the top of its body (one that ended is dead).
                t.frames.Add(t.Body(k).GetEnumerator());
            }

            if (!Frames.Next(t.frames, out Stmt stmt))
            {
                t.state = TaskState.Dead;
                Logger.WriteLine($"{Name} {t.comm}: exits");
                return;
            }

            if (stmt.Kind is not (StmtKind.Plain or StmtKind.Sleep))
            {
                // No interrupts, guest, user space, spinning or rate model here: such a statement
                // would silently run as a plain one.
                throw new InvalidOperationException(
                    $"{Name} {t.comm}: `{stmt.Text}` is a {stmt.Kind} statement, which a housekeeping CPU cannot run; bind the task to a modelled CPU.");
            }

            Logger.WriteLine($"{Name} {t.comm}: {stmt.Text}");
            return;
        }

        if (ticksLeft == 0 || !k.TimeMayPass())
        {
            // Time has stopped (or another CPU keeps it), or a nohz_full CPU has not yet run out
            // the current jiffy.
            k.hk_idle[index] = true;
            if (index == 0)
            {
                k.hk_waiting_for_time = ticksLeft > 0;
            }

            RaiseGotoStateEvent<Idle>();
            return;
        }

        ticksLeft--;
        Tick();
    }

    /// <summary>This CPU's task_cpu() value, which its kthreads carry.</summary>
    private int Cpu => KernelState.HousekeepingCpuId(index);

    /// <summary>The trace's name for this CPU: "hk" for the timekeeper (as on a machine with one), "hk1" and on for the others.</summary>
    private string Name => index == 0 ? "hk" : $"hk{index}";

    private void Tick()
    {
        Access.DoTimer(true);
        k.jiffies++;
        Logger.WriteLine($"hk do_timer: jiffies = {k.jiffies}");
        k.Observe(new DoTimer(k.jiffies));
        foreach (CpuState c in k.cpus)
        {
            c.statements_since_tick = 0;

            // A CPU idle in nohz mode has its tick stopped; an expired hrtimer still interrupts it.
            bool hrtimerDue = c.hrtimers.Any(t => !KernelState.TimeBefore(k.jiffies, t.expires));
            if (c.ct.state != CtState.Idle || hrtimerDue)
            {
                c.tick_pending = true;
                k.Kick(c);
            }
        }

        for (int i = k.sleepers.Count - 1; i >= 0; i--)
        {
            if (!KernelState.TimeBefore(k.jiffies, k.sleepers[i].expires))
            {
                TaskStruct t = k.sleepers[i].task;
                k.sleepers.RemoveAt(i);
                k.WakeHousekeeping(t);
            }
        }

        // Expired timer_lists (a delayed work's timer, say), in the order they were added.
        for (int i = 0; i < k.timers.Count;)
        {
            TimerList timer = k.timers[i];
            if (KernelState.TimeBefore(k.jiffies, timer.expires))
            {
                i++;
                continue;
            }

            k.timers.RemoveAt(i);
            timer.Fire(k);
        }

        Access.DoTimer(false);
    }
}
