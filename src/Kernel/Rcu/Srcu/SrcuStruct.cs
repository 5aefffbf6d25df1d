using Verify.Kernel.Machine;

namespace Verify.Kernel.Rcu.Srcu;

/// <summary>
/// struct srcu_struct: srcu_idx (the rank new readers use), the per-CPU srcu_data and the update-side
/// srcu_usage. The grace-period worker runs on <paramref name="workerCpu"/>'s pool and the callbacks
/// of CPU 0's srcu_data on CPU 0's.
/// </summary>
public sealed class SrcuStruct
{
    public SrcuStruct(string name, int cpus, int workerCpu)
    {
        this.name = name;
        srcu_sup = new SrcuUsage(name, new SrcuWork($"{name}.srcu_sup->work", workerCpu));
        sda = new SrcuData[cpus];
        for (int c = 0; c < cpus; c++)
        {
            sda[c] = new SrcuData(c, new SrcuWork($"{name}.sda[{c}]->work", c));
        }
    }

    public string name { get; }

    /// <summary>srcu_idx: its low bit is the rank srcu_read_lock() counts on; srcu_flip() increments it.</summary>
    public long srcu_idx { get => Access.Shared(field); set => field = Access.Shared(value); }

    public SrcuData[] sda { get; }

    public SrcuUsage srcu_sup { get; }

    /// <summary>Readers are numbered for the grace-period monitor.</summary>
    public int next_reader { get => Access.Shared(field); set => field = Access.Shared(value); }

    public override string ToString() => name;
}
