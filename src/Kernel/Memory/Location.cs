using Verify.Specifications;

namespace Verify.Kernel.Memory;

/// <summary>
/// A shared word (an int, or a pointer as the int naming its object). The memory keeps its
/// values; the location is only a name for traces and an index for the memory's tables.
/// </summary>
public sealed class Location
{
    internal Location(string name, int index, int initial)
    {
        Name = name;
        Index = index;
        Initial = initial;
    }

    [field: Frozen]
    public string Name { get; }

    [field: Frozen]
    public int Initial { get; }

    [field: Frozen]
    internal int Index { get; }

    public override string ToString() => Name;
}
