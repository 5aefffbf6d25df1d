namespace Verify.Traces;

public enum DecisionKind : byte
{
    /// <summary>Which operation ran: <see cref="Decision.Value"/> is its id, <see cref="Decision.Bound"/> how many were enabled.</summary>
    Schedule,

    /// <summary>A RandomBoolean answer: 0 or 1.</summary>
    Boolean,

    /// <summary>A RandomInteger answer in [0, Bound).</summary>
    Integer,
}

/// <summary>One answer the strategy gave. A trace is a list of these, values not seeds.</summary>
public readonly record struct Decision(DecisionKind Kind, int Value, int Bound)
{
    public override string ToString() => Kind switch
    {
        DecisionKind.Schedule => $"sched {Value}",
        DecisionKind.Boolean => $"bool {Value}",
        _ => $"int {Value}/{Bound}",
    };
}

/// <summary>A growable decision buffer reused across iterations, so recording allocates nothing in steady state.</summary>
internal sealed class DecisionLog
{
    private Decision[] items = new Decision[256];

    internal int Count { get; private set; }

    internal ReadOnlySpan<Decision> AsSpan() => items.AsSpan(0, Count);

    internal void Add(DecisionKind kind, int value, int bound)
    {
        if (Count == items.Length)
        {
            Array.Resize(ref items, items.Length * 2);
        }

        items[Count++] = new Decision(kind, value, bound);
    }

    internal void Clear() => Count = 0;

    internal Decision[] ToArray() => AsSpan().ToArray();
}
