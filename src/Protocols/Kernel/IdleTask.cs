namespace Verify.Protocols.Kernel;

/// <summary>swapper/N: do_idle() with cpuidle's context-tracking transitions and a halt that an interrupt ends.</summary>
public sealed class IdleTask(int cpu) : TaskStruct($"swapper/{cpu}", schedFifo: false, cpu)
{
    /// <summary>The statement text that tells the CPU to halt until an interrupt (sti; hlt).</summary>
    internal const string WaitForInterrupt = "arch_cpu_idle: wait for interrupt";

    protected internal override IEnumerable<string> Body(KernelState k)
    {
        while (true)
        {
            CpuState c = k.cpus[cpu];
            while (!c.need_resched)
            {
                c.irqs_disabled = true;
                yield return "do_idle: local_irq_disable()";
                c.ct.KernelExit(CtState.Idle);
                k.Observe(new Specs.Latency.CpuidleEnter(c.cpu));
                yield return "cpuidle_idle_call: ct_cpuidle_enter()";
                yield return WaitForInterrupt;
                c.irqs_disabled = true;
                c.ct.KernelEnter();
                yield return "cpuidle_idle_call: ct_cpuidle_exit()";
                c.irqs_disabled = false;
                yield return "do_idle: local_irq_enable()";
            }

            foreach (string s in Scheduler.Schedule(k, c, "schedule_idle"))
            {
                yield return s;
            }
        }
    }
}
