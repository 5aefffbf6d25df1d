using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Irq;

/// <summary>
/// smp_cond_func_t: whether a target CPU needs the call. By default one step, in which
/// <see cref="Test"/> is evaluated; a condition of several steps (a cmpxchg loop) overrides
/// <see cref="Cond"/> and sets the result when it is done.
/// </summary>
public abstract class SmpCondFunc(string name)
{
    public string name { get; } = name;

    /// <summary>cond_func(cpu, info), called by <paramref name="sender"/>; sets <paramref name="result"/>.</summary>
    protected internal virtual IEnumerable<Stmt> Cond(KernelState k, TaskStruct sender, int cpu, SmpCondResult result)
    {
        result.value = Test(k, cpu);
        yield return $"{name}(cpu{cpu}) = {(result.value ? "true" : "false")}";
    }

    /// <summary>The condition of a one-step cond_func.</summary>
    protected virtual bool Test(KernelState k, int cpu) => true;

    public override string ToString() => name;
}
