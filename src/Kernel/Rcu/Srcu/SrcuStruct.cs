using Verify.Kernel.Machine;
using Verify.Kernel.Memory;

namespace Verify.Kernel.Rcu.Srcu;

/// <summary>
/// struct srcu_struct: srcu_idx (the rank new readers use), the per-CPU srcu_data and the update-side
/// srcu_usage. The grace-period worker runs on <paramref name="workerCpu"/>'s pool and the callbacks
/// of CPU 0's srcu_data on CPU 0's. srcu_idx and the reader counters live in <paramref name="mem"/>,
/// whose memory CPU is the kernel CPU that runs the access.
/// </summary>
public sealed class SrcuStruct
{
    public SrcuStruct(SharedMemory mem, string name, int cpus, int workerCpu)
    {
        this.name = name;
        this.mem = mem;
        srcu_idx = mem.Declare($"{name}.srcu_idx");
        srcu_sup = new SrcuUsage(name, new SrcuWork($"{name}.srcu_sup->work", workerCpu));
        sda = new SrcuData[cpus];
        for (int c = 0; c < cpus; c++)
        {
            sda[c] = new SrcuData(mem, name, c, new SrcuWork($"{name}.sda[{c}]->work", c));
        }
    }

    public string name { get; }

    /// <summary>The machine's memory, in the mode of the run.</summary>
    public SharedMemory mem { get; }

    /// <summary>
    /// Under SC a barrier orders nothing and shares the statement of the access next to it; under TSO
    /// and the LKMM approximation each barrier is a statement of its own.
    /// </summary>
    public bool BarrierStatements => mem.Mode != MemoryMode.Sc;

    /// <summary>srcu_idx: its low bit is the rank srcu_read_lock() counts on; srcu_flip() increments it.</summary>
    public Location srcu_idx { get => Access.Shared(field); }

    public SrcuData[] sda { get; }

    public SrcuUsage srcu_sup { get; }

    /// <summary>Readers are numbered for the grace-period monitor.</summary>
    public int next_reader { get => Access.Shared(field); set => field = Access.Shared(value); }

    public override string ToString() => name;
}
