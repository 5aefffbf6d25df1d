using Verify.Kernel.Machine;
using Verify.Kernel.Memory;
using Verify.Kernel.Rcu.Srcu;
using Verify.Kernel.Sched;

namespace Verify.Protocols.Srcu;

/// <summary>
/// What kvm->srcu protects, at its smallest: kvm->memslots[0], a pointer to one of two memslots
/// objects (1, the set at boot, and 2, the set the updater installs), and each object's
/// generation. A vCPU reader srcu_dereference()s the pointer inside its read-side critical section
/// and loads the generation through it; the updater publishes the new set with rcu_assign_pointer()
/// (kvm_swap_active_memslots()), waits with synchronize_srcu_expedited() and frees the old set, as
/// KVM before 5.17 kvfree()d it (later KVMs reuse it as the inactive set, which is the same danger).
/// </summary>
internal sealed class Memslots
{
    internal Memslots(SharedMemory mem)
    {
        this.mem = mem;
        pointer = mem.Declare("kvm->memslots[0]", 1);
        generation = [null!, mem.Declare("slots1->generation", 1), mem.Declare("slots2->generation", 2)];
    }

    private readonly SharedMemory mem;

    /// <summary>kvm->memslots[0]: the number of the object it points to.</summary>
    internal Location pointer { get => Access.Shared(field); }

    /// <summary>slots->generation of objects 1 and 2 (index 0 unused).</summary>
    internal Location[] generation { get => Access.Shared(field); }

    /// <summary>The reader's critical section: slots = srcu_dereference(kvm->memslots[0], &amp;kvm->srcu); READ_ONCE(slots->generation) (a plain load in KVM; here the dependent load of the pointer).</summary>
    internal IEnumerable<Stmt> Read(KernelState k, TaskStruct t)
    {
        int slots = mem.RcuDereference(t.cpu, pointer, out Dependency dep);
        yield return $"slots = srcu_dereference(kvm->memslots[0], &kvm->srcu) = slots{slots}";
        int gen = mem.ReadOnce(t.cpu, generation[slots], dep);
        k.Observe(new MemslotsRead(t.comm, slots, gen));
        yield return $"READ_ONCE(slots{slots}->generation) = {gen}";
    }

    /// <summary>kvm_swap_active_memslots(): rcu_assign_pointer(kvm->memslots[0], slots2); the old set is slots1.</summary>
    internal IEnumerable<Stmt> Publish(TaskStruct t)
    {
        mem.RcuAssignPointer(t.cpu, pointer, 2);
        yield return "rcu_assign_pointer(kvm->memslots[0], slots2)";
    }

    /// <summary>kvfree(slots1) once the grace period has ended: no access of the object, but no reader may touch it from now on.</summary>
    internal IEnumerable<Stmt> FreeOld(KernelState k, TaskStruct t)
    {
        k.Observe(new MemslotsFreed(t.comm, 1));
        yield return "kvfree(slots1)";
    }
}
