namespace Verify.Kernel.Machine;

/// <summary>
/// DEFINE_PER_CPU: one instance of <typeparamref name="T"/> per CPU, for per-CPU data a protocol
/// adds (its fields check their owner through <see cref="Access"/> as the substrate's do).
/// </summary>
public sealed class PerCpu<T>
    where T : class
{
    private readonly T[] slots;

    public PerCpu(int cpus, Func<int, T> create)
    {
        slots = new T[cpus];
        for (int i = 0; i < cpus; i++)
        {
            slots[i] = create(i);
        }
    }

    /// <summary>per_cpu(var, cpu).</summary>
    public T this[int cpu] => slots[cpu];

    public int Count => slots.Length;
}
