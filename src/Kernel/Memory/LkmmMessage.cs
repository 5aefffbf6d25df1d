namespace Verify.Kernel.Memory;

/// <summary>
/// One store in a location's coherence order (Lkmm mode). <see cref="View"/> is what a CPU that
/// acquires it (smp_load_acquire(), or a later smp_rmb()/smp_mb()) must see from then on: the
/// storing CPU's view at its release, or at its last smp_wmb()/smp_mb(); null for nothing more.
/// </summary>
internal sealed class LkmmMessage(int value, int[]? view, bool rmw)
{
    internal int Value { get; } = value;

    // Positions shift when a store is inserted before them, so the view is rewritten in place; a
    // view that says nothing any more is null, so that equal states hash alike.
    internal int[]? View { get; set; } = view;

    /// <summary>Written by a read-modify-write: nothing may come between it and the store it read (atomicity).</summary>
    internal bool Rmw { get; } = rmw;
}
