using Verify.Kernel.Machine;

namespace Verify.Kernel.Irq;

/// <summary>
/// An interrupt on a modelled CPU, whatever its vector: irqentry_enter() (from user mode
/// enter_from_user_mode(), from the kernel ct_irq_enter()), the vector's handler, irq_exit_rcu().
/// Interrupts stay disabled throughout; the return (irqentry_exit()) is the CPU's step after the
/// last statement here.
/// </summary>
internal static class IrqEntry
{
    /// <param name="user">user_mode(regs): the interrupt arrived while the task ran in user space.</param>
    internal static IEnumerable<Stmt> Handler(KernelState k, CpuState c, IrqVector vector, bool user)
    {
        c.hardirq++;
        if (vector == IrqVector.LocalTimer)
        {
            k.Observe(new TickTaken(c.cpu, k.jiffies, user));
        }

        if (user)
        {
            // irqentry_enter_from_user_mode() -> enter_from_user_mode(): RCU watches from here on.
            EntryCommon.EnterFromUserMode(c);
            yield return "irqentry_enter_from_user_mode: ct_user_exit()";
        }
        else
        {
            // irqentry_enter() from the kernel: ct_irq_enter() makes RCU watch a CPU in an EQS.
            if (!k.config.MutantIrqEnterDoesNotWatch)
            {
                c.ct.IrqEnter();
            }
            else
            {
                c.ct.nmi_nesting++;
            }

            yield return "irqentry_enter: ct_irq_enter()";
        }

        yield return Stmt.Call(vector switch
        {
            IrqVector.LocalTimer => Tick.Handler(k, c, user),
            _ => Smp.CallFunctionInterrupt(k, c, user),
        });

        c.hardirq--;
        if (!user)
        {
            c.ct.IrqExit();
            yield return "irq_exit_rcu: ct_irq_exit()";
        }
        else
        {
            yield return "irq_exit_rcu()";
        }
    }
}
