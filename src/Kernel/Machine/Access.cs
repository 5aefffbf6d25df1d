using System.Runtime.CompilerServices;

namespace Verify.Kernel.Machine;

/// <summary>
/// Who may touch which variable of the modelled machine, checked at every access, so that
/// partial-order reduction may run a nohz_full CPU's statement alone when it touched only that
/// CPU's own variables.
/// <list type="bullet">
/// <item>A per-CPU variable belongs to its CPU (a task's fields to the CPU it is on). Another CPU
/// never touches it, and the housekeeping CPU only in do_timer(). A step that breaks this fails
/// with an error naming the variable.</item>
/// <item>A shared variable (rcu_state, rdp->core_needs_qs, the housekeeping side's) may be
/// touched by anyone. A nohz_full CPU's step that touches one tells the search (<see cref="CpuMachine"/>).</item>
/// <item>A cross-CPU variable (need_resched, rq->curr, run queues, a task's own fields) is touched
/// by the nohz_full CPUs, and by the housekeeping CPU only on a machine whose housekeeping kthreads
/// wake the modelled CPUs' tasks (<see cref="KernelConfig.HousekeepingTouchesCpus"/>): per-CPU on a
/// machine with one nohz_full CPU that housekeeping leaves alone, else shared.</item>
/// <item>A published variable (in_wfi, ct->rcu_watching) is written only by its CPU, which reads it freely; anyone
/// may read it, and for another CPU that read is shared.</item>
/// <item>jiffies is read by anyone and written only by do_timer().</item>
/// </list>
/// do_timer() runs only once every running nohz_full CPU has run out its jiffy (the rate model,
/// <see cref="KernelConfig.StatementsPerJiffy"/>), so it cannot come between a CPU's statement
/// that leaves the CPU mid-jiffy and the state before it. The context is per thread: each search
/// worker runs its own machine on its own thread.
/// </summary>
public static class Access
{
    // cpu + 1 during a nohz_full CPU's step, the housekeeping CPU's (negative) id during its step
    // (KernelState.HousekeepingCpuId), 0 at boot.
    [ThreadStatic]
    private static int running;

    [ThreadStatic]
    private static bool doTimer;

    [ThreadStatic]
    private static bool shared;

    // The machine has one nohz_full CPU: cross-CPU variables are that CPU's alone.
    [ThreadStatic]
    private static bool soleCpu;

    // Housekeeping kthreads wake, and lock against, tasks of the modelled CPUs.
    [ThreadStatic]
    private static bool housekeepingTouches;

    /// <summary>
    /// Boots a machine with <paramref name="nohzFullCpus"/> nohz_full CPUs on this thread: no step in
    /// progress (a step that failed may have left one behind). When housekeeping kthreads touch the
    /// modelled CPUs' tasks (<see cref="KernelConfig.HousekeepingTouchesCpus"/>), cross-CPU variables
    /// are shared even on a machine with one modelled CPU.
    /// </summary>
    internal static void Boot(int nohzFullCpus, bool housekeepingTouchesCpus = false)
    {
        running = 0;
        doTimer = false;
        soleCpu = nohzFullCpus == 1 && !housekeepingTouchesCpus;
        housekeepingTouches = housekeepingTouchesCpus;
    }

    /// <summary>
    /// The CPU whose step is running: a modelled CPU's number, a housekeeping CPU's negative id
    /// (-1 for the first), null outside a step (at boot). Bug reports use it to name the task that
    /// did a bad access.
    /// </summary>
    internal static int? RunningCpu => running == 0 ? null : running < 0 ? running : running - 1;

    internal static void BeginCpuStep(int cpu)
    {
        running = cpu + 1;
        shared = false;
    }

    /// <summary>Ends a nohz_full CPU's step; returns whether it touched a shared variable.</summary>
    internal static bool EndCpuStep()
    {
        running = 0;
        return shared;
    }

    /// <summary>A step of housekeeping CPU <paramref name="cpu"/> (its negative id) begins.</summary>
    internal static void BeginHousekeepingStep(int cpu)
    {
        running = cpu;
        doTimer = false;
    }

    internal static void EndHousekeepingStep()
    {
        running = 0;
        doTimer = false;
    }

    /// <summary>The housekeeping CPU is in do_timer(): it may touch every CPU's tick state.</summary>
    internal static void DoTimer(bool on) => doTimer = on;

    /// <summary>
    /// An access to a variable of CPU <paramref name="owner"/> (a negative owner is the housekeeping
    /// CPU, whose tasks' variables nohz_full CPUs share); returns <paramref name="value"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T PerCpu<T>(int owner, T value, [CallerMemberName] string variable = "")
    {
        int r = running;
        if (owner < 0)
        {
            shared = true;
        }
        else if (r != 0 && r != owner + 1 && !(r < 0 && doTimer))
        {
            ThrowNotOwner(r, owner, variable);
        }

        return value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotOwner(int r, int owner, string variable) =>
        throw new InvalidOperationException(
            $"{Who(r)} touched cpu{owner}'s {variable}, a per-CPU variable: only cpu{owner} (and the housekeeping CPU in do_timer()) may. Make it shared in the kernel model if the kernel shares it.");

    /// <summary>
    /// A read of a variable that only CPU <paramref name="owner"/> writes and anyone may read (in_wfi):
    /// free for the owner, shared for another CPU, which races with the owner's writes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReadPublished<T>(int owner, T value)
    {
        if (running != owner + 1)
        {
            shared = true;
        }

        return value;
    }

    /// <summary>A write of a variable that only CPU <paramref name="owner"/> writes and anyone may read: always shared.</summary>
    public static T WritePublished<T>(int owner, T value, [CallerMemberName] string variable = "")
    {
        PerCpu(owner, value, variable);
        shared = true;
        return value;
    }

    /// <summary>
    /// An access to a variable of CPU <paramref name="owner"/> that other nohz_full CPUs touch too
    /// (need_resched, rq->curr, the run queue, a task's state when it is woken or moved) but the
    /// housekeeping CPU never does: per-CPU on a machine with one nohz_full CPU, shared otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T CrossCpu<T>(int owner, T value, [CallerMemberName] string variable = "")
    {
        if (soleCpu || (running < 0 && !housekeepingTouches))
        {
            return PerCpu(owner, value, variable);
        }

        shared = true;
        return value;
    }

    /// <summary>An access to a variable any CPU may touch; returns <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Shared<T>(T value)
    {
        shared = true;
        return value;
    }

    /// <summary>A write of jiffies, which only do_timer() does.</summary>
    internal static int WriteJiffies(int value)
    {
        if (running != 0 && !(running < 0 && doTimer))
        {
            throw new InvalidOperationException($"{Who(running)} wrote jiffies outside do_timer().");
        }

        return value;
    }

    private static string Who(int r) => r < 0 ? KernelState.HousekeepingCpuName(r) : $"cpu{r - 1}";
}
