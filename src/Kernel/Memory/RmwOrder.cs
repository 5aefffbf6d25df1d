namespace Verify.Kernel.Memory;

/// <summary>The ordering of a read-modify-write that stores (Documentation/atomic_t.txt); one that does not store orders nothing.</summary>
internal enum RmwOrder
{
    /// <summary>Void atomics (atomic_inc) and _relaxed ones.</summary>
    Relaxed,

    /// <summary>_acquire: later accesses are ordered after its load.</summary>
    Acquire,

    /// <summary>_release: earlier accesses are ordered before its store.</summary>
    Release,

    /// <summary>Value-returning atomics: as if smp_mb() came before and after.</summary>
    Full,
}
