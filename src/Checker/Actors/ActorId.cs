namespace Verify.Actors;

/// <summary>Identifies an actor within one test iteration. Values follow creation order, starting at 1.</summary>
public sealed class ActorId : IEquatable<ActorId>
{
    private string? name;

    internal ActorId(long value, string type, string? name)
    {
        Value = value;
        Type = type;
        this.name = name;
    }

    /// <summary>Creation-order number; also the operation id in traces.</summary>
    public long Value { get; }

    /// <summary>Full type name of the actor.</summary>
    public string Type { get; }

    /// <summary>Name given at creation, or <c>Type(Value)</c>.</summary>
    public string Name => name ??= $"{ShortName(Type)}({Value})";

    public bool Equals(ActorId? other) => other is not null && other.Value == Value;

    public override bool Equals(object? obj) => obj is ActorId other && Equals(other);

    public override int GetHashCode() => Value.GetHashCode();

    public override string ToString() => Name;

    internal static string ShortName(string type)
    {
        int i = type.LastIndexOfAny(['.', '+']);
        return i < 0 ? type : type[(i + 1)..];
    }
}
