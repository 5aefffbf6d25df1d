namespace Verify.Kernel.Memory;

/// <summary>The kernel's barriers.</summary>
internal enum FenceKind
{
    /// <summary><c>smp_mb()</c>: orders everything, and is strong (it forbids store buffering).</summary>
    Mb,

    /// <summary><c>smp_wmb()</c>: earlier stores before later stores.</summary>
    Wmb,

    /// <summary><c>smp_rmb()</c>: earlier loads before later loads.</summary>
    Rmb,

    /// <summary><c>smp_mb__before_atomic()</c> / <c>smp_mb__after_atomic()</c>: make an unordered atomic fully ordered.</summary>
    AroundAtomic,

    /// <summary><c>sync_core()</c>, a CR3 write, <c>iret</c>: serializing; drains the store buffer on x86.</summary>
    Serialize,
}
