namespace Verify.Kernel.Memory;

/// <summary>
/// An address dependency on a load (what <c>rcu_dereference()</c> returns besides the pointer):
/// a later load through that pointer passed with it is ordered after the load, and sees what the
/// publishing <c>rcu_assign_pointer()</c> saw. The default orders nothing.
/// </summary>
public readonly struct Dependency
{
    internal Dependency(int[]? view) => View = view;

    // In Lkmm mode, the view of the message read (null: the loaded location only); unused otherwise,
    // where every load is already ordered after earlier loads.
    internal int[]? View { get; }
}
