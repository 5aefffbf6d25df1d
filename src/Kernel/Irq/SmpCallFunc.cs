using Verify.Kernel.Machine;

namespace Verify.Kernel.Irq;

/// <summary>
/// smp_call_func_t with its info: what a CPU runs when a call reaches it, in interrupt context
/// (interrupts off), one statement per step. An object, not a delegate, so the calls in flight stay
/// plain data. Its <see cref="name"/> is the callback type IPIs are counted by (do_sync_core,
/// do_flush_tlb_all, ...).
/// </summary>
public abstract class SmpCallFunc(string name)
{
    public string name { get; } = name;

    /// <summary>func(info) on <paramref name="c"/>.</summary>
    protected internal abstract IEnumerable<Stmt> Func(KernelState k, CpuState c);

    public override string ToString() => name;
}
