namespace Verify.Kernel.Memory;

/// <summary>
/// An address dependency on a load (what <c>rcu_dereference()</c> returns besides the pointer):
/// a later load through that pointer passed with it is ordered after the load, and sees what the
/// publishing <c>rcu_assign_pointer()</c> saw. The default orders nothing.
/// </summary>
public readonly struct Dependency
{
    internal Dependency(LkmmMessage message, int location)
    {
        Message = message;
        Location = location;
    }

    // In Lkmm mode, the store the load read, and its location (its view is kept up to date while
    // the store is in that location's history); unused otherwise, where every load is already
    // ordered after earlier loads.
    internal LkmmMessage? Message { get; }

    internal int Location { get; }
}
