using Verify.Actors;

namespace Verify.Kernel.Memory;

/// <summary>Sequential consistency: one value per location, every access on it in program order.</summary>
internal sealed class ScMemory(IActorRuntime runtime, int cpus) : SharedMemory(runtime, cpus)
{
    private readonly List<int> values = [];

    public override MemoryMode Mode => MemoryMode.Sc;

    public override int ValueOf(Location x) => values[x.Index];

    private protected override void Declared(Location x) => values.Add(x.Initial);

    private protected override int Load(int cpu, Location x, LoadOrder order, Dependency after, out Dependency dep)
    {
        CheckCpu(cpu);
        dep = default;
        return values[x.Index];
    }

    private protected override void Store(int cpu, Location x, int value, StoreOrder order)
    {
        CheckCpu(cpu);
        values[x.Index] = value;
    }

    private protected override bool Fence(int cpu, FenceKind kind)
    {
        CheckCpu(cpu);
        return false;
    }

    private protected override int Rmw(int cpu, Location x, Func<int, int?> update, RmwOrder order)
    {
        CheckCpu(cpu);
        int old = values[x.Index];
        if (update(old) is int value)
        {
            values[x.Index] = value;
        }

        return old;
    }
}
