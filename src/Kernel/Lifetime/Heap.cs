using Verify.Kernel.Machine;

namespace Verify.Kernel.Lifetime;

/// <summary>The slab allocator's per-machine bookkeeping: object numbering and whether allocations may fail.</summary>
public sealed class Heap
{
    /// <summary>Objects are numbered in allocation order, so two allocations of one cache (a freed object and its successor at the same index of a lookup structure) have different names.</summary>
    internal int next_object { get => Access.Shared(field); set => field = Access.Shared(value); } = 1;

    /// <summary>
    /// An allocation whose gfp allows failing fails in some schedule (a recorded choice). A scenario
    /// that is not about failure turns this off before boot to keep the search small.
    /// </summary>
    public bool may_fail { get; set; } = true;

    /// <summary>The machine's heap, created on first use.</summary>
    public static Heap Of(KernelState k) => k.heap ??= new Heap();
}
