using Verify.Actors;
using Verify.Kernel.ContextTracking;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Time;

/// <summary>
/// The housekeeping CPU: it runs its kthreads (the RCU grace-period kthread, synchronize_rcu()
/// callers) one statement per step, and when all of them sleep, one jiffy passes (do_timer) and
/// the local timer interrupt is raised on the nohz_full CPUs whose tick runs. Housekeeping work
/// thus finishes within a jiffy, while the nohz_full CPUs interleave with it freely. After
/// <see cref="KernelConfig.MaxTicks"/> jiffies time stops, which bounds every run; the CPU then
/// sleeps until a nohz_full CPU wakes one of its kthreads.
/// </summary>
internal sealed class HousekeepingCpu : StateMachine
{
    private KernelState k = null!;
    private int ticksLeft;

    internal sealed class Setup(KernelState kernel) : Event
    {
        internal KernelState Kernel { get; } = kernel;
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
        k = ((Setup)e).Kernel;
        ticksLeft = k.config.MaxTicks;
        RaiseGotoStateEvent<Running>();
    }

    private void OnWake()
    {
        Access.BeginHousekeepingStep();
        k.hk_idle = false;
        Access.EndHousekeepingStep();
    }

    private void Step()
    {
        Access.BeginHousekeepingStep();
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
            if (t.state != TaskState.Running)
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
                Logger.WriteLine($"hk {t.comm}: exits");
                return;
            }

            Logger.WriteLine($"hk {t.comm}: {stmt.Text}");
            return;
        }

        if (ticksLeft == 0 || !k.TimeMayPass())
        {
            // Time has stopped, or a nohz_full CPU has not yet run out the current jiffy.
            k.hk_idle = true;
            k.hk_waiting_for_time = ticksLeft > 0;
            RaiseGotoStateEvent<Idle>();
            return;
        }

        ticksLeft--;
        Tick();
    }

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

        // The grace-period kthread's FQS timeout (swait_event_idle_timeout_exclusive).
        Rcu.Tree.RcuState rs = k.rcu_state;
        if (rs.fqs_timer_armed && !KernelState.TimeBefore(k.jiffies, rs.jiffies_force_qs))
        {
            rs.fqs_timer_armed = false;
            k.WakeHousekeeping(rs.gp_kthread!);
        }

        Access.DoTimer(false);
    }
}
