namespace Verify.Kernel.Memory;

/// <summary>The ordering a store asks for.</summary>
internal enum StoreOrder
{
    /// <summary>A plain C store; treated as <see cref="Once"/> (see <see cref="LoadOrder.Plain"/>).</summary>
    Plain,

    /// <summary><c>WRITE_ONCE()</c>: no tearing, no ordering.</summary>
    Once,

    /// <summary><c>smp_store_release()</c>, <c>rcu_assign_pointer()</c>: earlier accesses are ordered before it.</summary>
    Release,
}
