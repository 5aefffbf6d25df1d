using System.Runtime.CompilerServices;
using Verify.Kernel.Machine;
using Verify.Specifications;

namespace Verify.Kernel.Lifetime;

/// <summary>
/// A heap object (a struct the kernel kzalloc()s). A subclass declares its fields as properties
/// through <see cref="Load"/> and <see cref="Store"/>, so every field access is a checked access
/// of shared memory: touching the object after it was freed is a KASAN report naming the object,
/// the field, and the steps that allocated and freed it.
/// <code>
/// public int intid { get => Load(field); set => field = Store(value); }
/// </code>
/// </summary>
public abstract class SlabObject
{
    protected SlabObject(string cache)
    {
        this.cache = cache;
        name = cache;
    }

    /// <summary>The kmem cache, i.e. the struct's name ("task_struct").</summary>
    [field: Frozen]
    public string cache { get; }

    /// <summary>The object's name in reports: its cache and allocation number ("task_struct#2").</summary>
    public string name { get; internal set; }

    public SlabState slab_state { get => Access.Shared(field); internal set => field = Access.Shared(value); }

    /// <summary>The kzalloc() that returned it.</summary>
    public KStep allocated { get; internal set; }

    /// <summary>The kfree() (or rcu_do_batch()) that freed it.</summary>
    public KStep freed { get; internal set; }

    /// <summary>The kfree_rcu() that queued it, if one did (KASAN's "Last potentially related work creation").</summary>
    public KStep? rcu_queued { get; internal set; }

    /// <summary>The machine it was allocated on, for naming the task of a bad access.</summary>
    internal KernelState? k;

    /// <summary>A read of field <paramref name="field"/>: checked by KASAN, shared memory.</summary>
    protected T Load<T>(T value, [CallerMemberName] string field = "")
    {
        Kasan.CheckAccess(this, field, write: false);
        return Access.Shared(value);
    }

    /// <summary>A write of field <paramref name="field"/>: checked by KASAN, shared memory.</summary>
    protected T Store<T>(T value, [CallerMemberName] string field = "")
    {
        Kasan.CheckAccess(this, field, write: true);
        return Access.Shared(value);
    }

    public override string ToString() => name;
}
