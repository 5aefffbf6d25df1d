namespace Verify.Kernel.Memory;

/// <summary>The ordering a load asks for.</summary>
internal enum LoadOrder
{
    /// <summary>A plain C load; the LKMM calls a race on it undefined, the weak mode treats it as <see cref="Once"/>.</summary>
    Plain,

    /// <summary><c>READ_ONCE()</c>: no tearing, no ordering.</summary>
    Once,

    /// <summary><c>smp_load_acquire()</c>: later accesses are ordered after it.</summary>
    Acquire,
}
