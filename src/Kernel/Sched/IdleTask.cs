using Verify.Kernel.Machine;

namespace Verify.Kernel.Sched;

/// <summary>swapper/N: do_idle() with cpuidle's context-tracking transitions and a halt that an interrupt ends.</summary>
public sealed class IdleTask(int cpu) : TaskStruct($"swapper/{cpu}", schedFifo: false, cpu)
{
    protected internal override IEnumerable<Stmt> Body(KernelState k)
    {
        // The idle task is pinned to its CPU and runs with preemption disabled.
        CpuState c = k.cpus[cpu];
        while (true)
        {
            while (!c.need_resched)
            {
                c.irqs_disabled = true;
                yield return "do_idle: local_irq_disable()";
                c.ct.KernelExit(ContextTracking.CtState.Idle);
                k.Observe(new CpuidleEnter(c.cpu));
                yield return "cpuidle_idle_call: ct_cpuidle_enter()";
                yield return Stmt.Halt("arch_cpu_idle: wait for interrupt");
                c.irqs_disabled = true;
                c.ct.KernelEnter();
                yield return "cpuidle_idle_call: ct_cpuidle_exit()";
                c.irqs_disabled = false;
                yield return "do_idle: local_irq_enable()";
            }

            yield return Stmt.Call(Scheduler.Schedule(k, this, SchedMode.Idle, "schedule_idle"));
        }
    }
}
