namespace Verify.Runtime;

/// <summary>
/// Numbers everything coverage counts (actor and monitor types, states, handler declarations,
/// state-to-state transitions) once per process, when a type's metadata is built. A worker then
/// counts in a plain array indexed by these numbers: one increment per event, no hashing, no
/// sharing between threads. A number is never reused, so types built later only grow the array.
/// </summary>
internal static class CoverageSlots
{
    private static readonly object Gate = new();
    private static readonly Dictionary<int, CoverageUnit> Units = [];
    private static int next;

    /// <summary>Numbers handed out so far; a counter sized to this holds every slot of the types built yet.</summary>
    internal static int Count => System.Threading.Volatile.Read(ref next);

    /// <summary>Reserves <paramref name="count"/> consecutive slots; returns the first.</summary>
    internal static int Allocate(int count) => System.Threading.Interlocked.Add(ref next, count) - count;

    /// <summary>Registers an actor or monitor type: its slot counts the actors started or monitors registered.</summary>
    internal static CoverageUnit Register(string name, CoverageUnitKind kind, StateMachineInfo? machine, StateInfo? handlers)
    {
        var unit = new CoverageUnit(name, kind, Allocate(1), machine, handlers);
        lock (Gate)
        {
            Units[unit.Slot] = unit;
        }

        return unit;
    }

    /// <summary>The units whose type slot was counted, i.e. the types a run used.</summary>
    internal static List<CoverageUnit> Used(Func<int, long> count)
    {
        lock (Gate)
        {
            return Units.Values.Where(u => count(u.Slot) > 0).ToList();
        }
    }
}

internal enum CoverageUnitKind : byte
{
    Actor,
    StateMachine,
    Monitor,
}

/// <summary>An actor or monitor type as coverage sees it: its type slot and where its states and handlers are.</summary>
internal sealed record CoverageUnit(string Name, CoverageUnitKind Kind, int Slot, StateMachineInfo? Machine, StateInfo? Handlers);
